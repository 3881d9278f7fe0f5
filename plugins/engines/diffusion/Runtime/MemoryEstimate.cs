using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// A pre-flight estimate of the host memory a job adds: ONNX Runtime's own fixed cost when the job
/// is the one that opens the model's sessions, the weights of the graphs it will load (their file
/// sizes; graphs already open cost nothing more), and, on the CPU, the UNet's work memory for the
/// job's batch (on a GPU it lives on the device: not counted here). Work memory comes from the
/// UNet graph (<see cref="ConvWidths"/>): two live feature maps of the widest Conv output per
/// batch item plus one unfolded input of the widest k×k Conv, all at the latent size, in float32
/// (the CPU computes fp16 exports in float32 too), plus the top-level attention scores (scores and
/// softmax) when the graph has attention: SD 1.5's 8 heads × cells²; SDXL has no attention at full
/// latent size, its first is at half size with 10 heads (640 channels / 64), 10 × (cells/4)². The VAE decoder's tile is
/// scaled from SD 1.5's (6 live 128-channel maps per pixel) by its file size against SD 1.5's 198 MB. See docs/diffusion-engine.md for the
/// measurements behind the factors.
/// </summary>
internal sealed record MemoryEstimate(string Device, long RuntimeBytes, long WeightBytes, long WorkBytes)
{
    /// <summary>ONNX Runtime's CPU provider, its sessions and arenas: 70 MiB growth for the 8-channel tiny model, ~18 MiB of it that model's work (bench, 2 cores).</summary>
    public const long CpuRuntimeBytes = 48L << 20;

    /// <summary>Host memory of the CUDA runtime, cuDNN and cuBLAS once loaded (bench on an H200: 734–1258 MiB for the tiny model, growing with its width).</summary>
    public const long GpuRuntimeBytes = 1L << 30;

    private const int LiveMaps = 2;
    private const int AttentionHeads = 8;
    private const int AttentionHeadsXL = 10;
    private const double ReferenceDecoderBytes = 1.98e8;

    // SD 1.5's VAE decoder (198 MB of weights): ~6 live 128-channel maps at full resolution
    private const int DecoderMapsPerPixel = 6 * 128;

    public long Total => RuntimeBytes + WeightBytes + WorkBytes;

    public static MemoryEstimate For(InstalledDiffusionModel model, IEnumerable<string> components, Func<string, bool> isOpen, ExecutionProvider provider,
        int latentWidth, int latentHeight, int batch, int tileLatents)
    {
        var loading = components.Where(c => !isOpen(model.GraphPath(c))).ToList();
        long weights = loading.Sum(model.ComponentBytes);
        bool first = loading.Contains(DiffusionLayout.Unet);
        long runtime = !first ? 0 : provider == ExecutionProvider.Cpu ? CpuRuntimeBytes : GpuRuntimeBytes;
        long work = provider == ExecutionProvider.Cpu ? CpuWork(model, latentWidth, latentHeight, batch, tileLatents) : 0;
        return new MemoryEstimate(ProviderOrder.DeviceName(provider), runtime, weights, work);
    }

    /// <exception cref="InsufficientMemoryException">The job would not fit, with what it needs, what there is and what to do.</exception>
    public void Require(string operation, int width, int height, int batch) => Require(operation, width, height, batch, MemoryBudget.Available());

    /// <param name="budget">What may be used and where that figure came from (<see cref="MemoryBudget.Available"/>).</param>
    public void Require(string operation, int width, int height, int batch, (long Bytes, string Source) budget)
    {
        var (available, source) = budget;
        if (Total <= available)
            return;
        throw new InsufficientMemoryException(
            $"{operation} at {width}x{height} needs about {Size(Total)} (ONNX Runtime on {Device} {Size(RuntimeBytes)}, model weights {Size(WeightBytes)}, " +
            $"work memory for batch {batch} {Size(WorkBytes)}) but only {Size(available)} is free ({source}); " +
            "select a smaller area, use an fp16 model, or close other jobs and programs");
    }

    private static long CpuWork(InstalledDiffusionModel model, int latentWidth, int latentHeight, int batch, int tileLatents)
    {
        double cells = (double)latentWidth * latentHeight;
        var unet = ConvWidths.Of(model.GraphPath(DiffusionLayout.Unet));
        double maps = cells * sizeof(float) * ((double)batch * LiveMaps * unet.WidestOutput + unet.WidestUnfold);
        double attentionCells = model.IsXL ? cells / 4 : cells;
        int heads = model.IsXL ? AttentionHeadsXL : AttentionHeads;
        double attention = unet.HasAttention ? 2.0 * batch * heads * attentionCells * attentionCells * sizeof(float) : 0;
        double tile = Math.Min(latentWidth, tileLatents) * 8.0 * Math.Min(latentHeight, tileLatents) * 8.0;
        double decoder = model.ComponentBytes(DiffusionLayout.VaeDecoder) / ReferenceDecoderBytes * tile * DecoderMapsPerPixel * sizeof(float);
        return (long)(Math.Max(maps + attention, decoder) + cells * 64 * sizeof(float) * 16);
    }

    private static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GiB" : $"{bytes / (double)(1L << 20):0} MiB";
}
