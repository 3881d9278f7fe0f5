using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Inference;
using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>
/// The pre-flight estimate's shape: it grows with the UNet's width, the latent area and the batch,
/// charges ONNX Runtime's fixed cost only to the job that opens the UNet, and keeps GPU work off the
/// host. How close it comes to measured peaks is the benchmark's (`-- diffusion`, docs/benchmarks.md).
/// </summary>
public sealed class MemoryEstimateTests : IDisposable
{
    private static readonly string[] Generate = [DiffusionLayout.TextEncoder, DiffusionLayout.Unet, DiffusionLayout.VaeDecoder];
    private readonly TempDirectory store = new("diffusion-estimate");

    [Theory]
    [InlineData(8, false)]
    [InlineData(96, false)]
    [InlineData(24, true)]
    public void Conv_widths_are_read_from_the_unet_graph(int features, bool half)
    {
        var model = Model($"w{features}", features, half);

        var widths = ConvWidths.Of(model.GraphPath(DiffusionLayout.Unet));

        Assert.Equal(features, widths.WidestOutput);
        Assert.Equal(features * 3 * 3, widths.WidestUnfold);
        Assert.False(widths.HasAttention);
    }

    [Fact]
    public void Work_grows_with_the_unet_width_the_area_and_the_batch()
    {
        var narrow = Model("narrow", 8);
        var wide = Model("wide", 256);

        long Work(InstalledDiffusionModel m, int side, int batch) => Estimate(m, ExecutionProvider.Cpu, side, batch).WorkBytes;

        Assert.True(Work(wide, 64, 2) > 3 * Work(narrow, 64, 2));
        Assert.True(Work(wide, 64, 2) > 3 * Work(wide, 32, 2));
        Assert.True(Work(wide, 64, 2) > Work(wide, 64, 1));
    }

    [Fact]
    public void The_runtime_is_charged_to_the_job_that_opens_the_unet_and_gpu_work_stays_off_the_host()
    {
        var model = Model("runtime", 64);

        var first = Estimate(model, ExecutionProvider.Cpu, 64, 2);
        var later = MemoryEstimate.For(model, Generate, _ => true, ExecutionProvider.Cpu, 64, 64, 2, VaeCodec.DefaultTileLatents);
        var cuda = Estimate(model, ExecutionProvider.Cuda, 64, 2);

        Assert.Equal(MemoryEstimate.CpuRuntimeBytes, first.RuntimeBytes);
        Assert.Equal(Generate.Sum(model.ComponentBytes), first.WeightBytes);
        Assert.Equal(0, later.RuntimeBytes + later.WeightBytes);
        Assert.Equal(first.WorkBytes, later.WorkBytes);
        Assert.Equal(MemoryEstimate.GpuRuntimeBytes, cuda.RuntimeBytes);
        Assert.Equal(0, cuda.WorkBytes);
    }

    [Fact]
    public void A_refusal_says_what_was_estimated_what_is_free_and_what_to_do()
    {
        var model = Model("refused", 64);
        var estimate = Estimate(model, ExecutionProvider.Cpu, 64, 2);
        var e = Assert.Throws<InsufficientMemoryException>(() => estimate.Require("generate", 512, 512, 2, (1L << 20, MemoryBudget.Variable)));

        Assert.Contains("generate at 512x512 needs about", e.Message);
        Assert.Contains("ONNX Runtime on cpu", e.Message);
        Assert.Contains("work memory for batch 2", e.Message);
        Assert.Contains("only 1 MiB is free (EDITORBRIDGE_DIFFUSION_MEMORY_MB)", e.Message);
        Assert.Contains("select a smaller area, use an fp16 model, or close other jobs", e.Message);
        estimate.Require("generate", 512, 512, 2, (estimate.Total, MemoryBudget.Variable));
    }

    public void Dispose() => store.Dispose();

    private static MemoryEstimate Estimate(InstalledDiffusionModel model, ExecutionProvider provider, int latentSide, int batch) =>
        MemoryEstimate.For(model, Generate, _ => false, provider, latentSide, latentSide, batch, VaeCodec.DefaultTileLatents);

    private InstalledDiffusionModel Model(string name, int features, bool half = false)
    {
        var directory = TinyDiffusionModel.Write(Path.Combine(store.Path, name), new TinyDiffusionOptions(name, Half: half, Features: features));
        return DiffusionModelScan.Read(directory)!;
    }
}
