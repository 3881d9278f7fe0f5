using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>
/// A model store with two tiny models: <see cref="Plain"/> (fp32, 4-channel UNet with ControlNet (line art:
/// colorize and line-art control layers) and scribble and depth ControlNets for control layers,
/// int64 timestep [1], external weights) and <see cref="Inpainting"/> (fp16, 9-channel UNet,
/// float16 timestep [batch]). Shared by the tests of a class; the engines only read it.
/// </summary>
public sealed class TinyModelStore : IDisposable
{
    public const string Plain = "tiny-sd";
    public const string Inpainting = "tiny-sd-inpaint";

    private readonly TempDirectory folder = new("diffusion-store");

    public TinyModelStore()
    {
        TinyDiffusionModel.Write(System.IO.Path.Combine(Path, Plain), new TinyDiffusionOptions(Plain, ControlNet: true, ControlTypes: ["scribble", "depth"]));
        TinyDiffusionModel.Write(System.IO.Path.Combine(Path, Inpainting),
            new TinyDiffusionOptions(Inpainting, Half: true, Inpainting: true, Timestep: "float16", TimestepPerSample: true));
    }

    public string Path => folder.Path;

    public string ModelDirectory(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A store holding one model whose UNet weights file claims 4 TiB (sparse): no machine has the memory.</summary>
    public static TempDirectory HugeModelStore()
    {
        var store = new TempDirectory("diffusion-huge");
        var model = TinyDiffusionModel.Write(System.IO.Path.Combine(store.Path, "tiny-sd-huge"), new TinyDiffusionOptions("tiny-sd-huge"));
        using var weights = new FileStream(System.IO.Path.Combine(model, "unet", TinyDiffusionModel.WeightsFile), FileMode.Open);
        weights.SetLength(4L << 40);
        return store;
    }

    public void Dispose() => folder.Dispose();
}
