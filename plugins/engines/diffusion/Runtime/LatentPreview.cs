namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// A small picture of the latents without the VAE: a linear map of the 4 latent channels to RGB,
/// one pixel per latent (64×64 for a 512² job). The factors are SD 1.5's approximation published
/// in ComfyUI's latent_formats.py (SD15.latent_rgb_factors); good enough to show composition and colour.
/// </summary>
internal static class LatentPreview
{
    private static readonly float[,] Factors =
    {
        { 0.3512f, 0.2297f, 0.3227f },
        { 0.3250f, 0.4974f, 0.2350f },
        { -0.2829f, 0.1762f, 0.2721f },
        { -0.2120f, -0.2616f, -0.7177f },
    };

    /// <param name="latents">[1, 4, h, w] as the sampler holds them (scaled by the VAE factor).</param>
    public static EngineImage Render(float[] latents, int width, int height)
    {
        int plane = width * height;
        var pixels = new byte[plane * 4];
        for (int p = 0; p < plane; p++)
        {
            for (int rgb = 0; rgb < 3; rgb++)
            {
                float v = 0;
                for (int c = 0; c < 4; c++)
                    v += latents[c * plane + p] * Factors[c, rgb];
                pixels[p * 4 + rgb] = (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0, 255);
            }

            pixels[p * 4 + 3] = 255;
        }

        return new EngineImage(width, height, pixels);
    }
}
