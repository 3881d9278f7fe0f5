using EditorBridge.Engines.Diffusion.Models;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// A pre-flight estimate of a job's memory: the weights of the graphs it will load (their file
/// sizes; graphs already open cost nothing more) plus the work memory of the UNet and of one VAE
/// tile. Work memory is scaled from SD 1.5's (fp32 UNet 3.44 GB: 8-head attention over every latent
/// pair at the top level, ~40 live 320-channel maps; VAE decoder 198 MB: ~6 live 128-channel
/// full-resolution maps) by the model's size against SD 1.5's, so a smaller or fp16 model costs less.
/// </summary>
internal sealed record MemoryEstimate(long WeightBytes, long WorkBytes)
{
    private const double ReferenceUnetBytes = 3.44e9;
    private const double ReferenceDecoderBytes = 1.98e8;

    public long Total => WeightBytes + WorkBytes;

    public static MemoryEstimate For(InstalledDiffusionModel model, IEnumerable<string> components, Func<string, bool> isOpen, int latentWidth, int latentHeight, int batch, int tileLatents)
    {
        long weights = components.Where(c => !isOpen(model.GraphPath(c))).Sum(model.ComponentBytes);
        double cells = (double)latentWidth * latentHeight;
        double unetShare = model.ComponentBytes(DiffusionLayout.Unet) / ReferenceUnetBytes;
        double unet = unetShare * batch * (8 * cells * cells * 4 + 40 * cells * 320 * 4);
        double tile = Math.Min(latentWidth, tileLatents) * 8.0 * Math.Min(latentHeight, tileLatents) * 8.0;
        double decoder = model.ComponentBytes(DiffusionLayout.VaeDecoder) / ReferenceDecoderBytes * tile * 128 * 4 * 6;
        return new MemoryEstimate(weights, (long)(Math.Max(unet, decoder) + cells * 64 * 4 * 16));
    }

    /// <exception cref="InsufficientMemoryException">The job would not fit, with what it needs and what there is.</exception>
    public void Require(string operation, int width, int height)
    {
        var (available, source) = MemoryBudget.Available();
        if (Total <= available)
            return;
        throw new InsufficientMemoryException(
            $"{operation} at {width}x{height} needs about {Size(Total)} (model weights {Size(WeightBytes)}, work {Size(WorkBytes)}) but only {Size(available)} is free ({source}); " +
            "select a smaller area, close other programs, or use an fp16 model");
    }

    private static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GiB" : $"{bytes / (double)(1L << 20):0} MiB";
}
