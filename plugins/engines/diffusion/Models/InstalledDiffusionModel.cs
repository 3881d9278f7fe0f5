namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>A diffusion model of the model store, as the engine serves it.</summary>
/// <param name="Identity">The manifest's identity hash (job provenance).</param>
/// <param name="Inpainting">model_index.json names an inpainting pipeline (the UNet's own channel count decides at run time).</param>
/// <param name="MaxWorkingSide">The side the model was trained at (the VAE's sample_size; 512 for SD 1.5, 1024 for SDXL).</param>
/// <param name="ScalingFactor">Latent scaling of the VAE (0.18215 for SD 1.5, 0.13025 for SDXL).</param>
/// <param name="Family">SD 1.x/2.x or SDXL (model_index.json lists <c>text_encoder_2</c>).</param>
/// <param name="ZeroEmptyNegative">SDXL's <c>force_zeros_for_empty_prompt</c>: with no negative prompt the unconditional embeddings are zeros, as diffusers does.</param>
internal sealed record InstalledDiffusionModel(
    string Name,
    string Directory,
    string Identity,
    bool HasControlNet,
    bool Inpainting,
    int MaxWorkingSide,
    float ScalingFactor,
    DiffusionFamily Family = DiffusionFamily.StableDiffusion,
    bool ZeroEmptyNegative = false)
{
    public bool IsXL => Family == DiffusionFamily.StableDiffusionXL;

    /// <summary>The control types a ControlNet of this folder serves (<see cref="Models.ControlTypes"/>).</summary>
    public IReadOnlyList<string> ControlTypes { get; init; } = [];

    /// <summary>The text encoders in the order their hidden states are concatenated.</summary>
    public IReadOnlyList<string> TextEncoders => IsXL ? [DiffusionLayout.TextEncoder, DiffusionLayout.TextEncoder2] : [DiffusionLayout.TextEncoder];

    public string GraphPath(string component) => DiffusionLayout.GraphPath(Directory, component);

    /// <summary>Bytes of a component's graph and weight files (what loading it costs at least).</summary>
    public long ComponentBytes(string component)
    {
        var folder = Path.Combine(Directory, component);
        return System.IO.Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles().Where(f => f.Extension != ".json").Sum(f => f.Length)
            : 0;
    }
}
