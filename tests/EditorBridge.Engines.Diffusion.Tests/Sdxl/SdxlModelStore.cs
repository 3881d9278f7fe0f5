using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Engines.Diffusion.Tests.Sdxl;

/// <summary>A store with a tiny SDXL model (fp32, 4-channel) and a tiny SDXL inpainting model (fp16, 9-channel UNet).</summary>
public sealed class SdxlModelStore : IDisposable
{
    public const string Plain = "tiny-sdxl";
    public const string Inpainting = "tiny-sdxl-inpaint";

    private readonly TempDirectory folder = new("sdxl-store");

    public SdxlModelStore()
    {
        TinyDiffusionModel.Write(ModelDirectory(Plain), new TinyDiffusionOptions(Plain, XL: true));
        TinyDiffusionModel.Write(ModelDirectory(Inpainting), new TinyDiffusionOptions(Inpainting, XL: true, Half: true, Inpainting: true, Timestep: "float16"));
    }

    public string Path => folder.Path;

    public string ModelDirectory(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => folder.Dispose();
}
