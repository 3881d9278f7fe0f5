namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// The model family a diffusers folder belongs to, read from what the folder is (model_index.json's
/// components and the graphs' inputs), never from its name.
/// </summary>
internal enum DiffusionFamily
{
    /// <summary>Stable Diffusion 1.x/2.x: one CLIP text encoder, the UNet takes the text states only.</summary>
    StableDiffusion,

    /// <summary>
    /// SDXL and its fine-tunes (Illustrious, Pony, …): CLIP ViT-L and OpenCLIP bigG, their penultimate
    /// hidden states concatenated (2048 wide), the second encoder's pooled projection as
    /// <c>text_embeds</c> and the size conditioning as <c>time_ids</c>.
    /// </summary>
    StableDiffusionXL,
}
