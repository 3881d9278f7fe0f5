namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// The part of the latents a job regenerates, for fill, compose and masked img2img.
/// <paramref name="Mask"/>: [h·w] latent cells, 1 = regenerate. <paramref name="Original"/>: the
/// image's clean latents; <paramref name="MaskedLatents"/>: latents of the image with the hole
/// blanked (the inpainting UNet's extra input).
/// </summary>
internal sealed record RegenerationArea(float[] Mask, float[] Original, float[] MaskedLatents);
