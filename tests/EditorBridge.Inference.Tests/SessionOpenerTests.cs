using EditorBridge.Inference;
using EditorBridge.Testing;
using EditorBridge.TinyModels;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static Onnx.TensorProto.Types;

namespace EditorBridge.Inference.Tests;

public sealed class SessionOpenerTests
{
    [Fact]
    public void A_provider_missing_from_the_build_falls_back_to_cpu_and_says_why()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "double.onnx");
        new TinyGraph("double")
            .Input("x", DataType.Float, "batch", 3)
            .Output("y", DataType.Float, "batch", 3)
            .Weight("two", [2f], 1)
            .Node("Mul", ["x", "two"], ["y"])
            .Save(path);

        using var opened = SessionOpener.Open(path, ProviderOrder.Parse(["directml", "cuda", "cpu"]));

        Assert.Equal(ExecutionProvider.Cpu, opened.Provider);
        Assert.Equal([ExecutionProvider.DirectML, ExecutionProvider.Cuda, ExecutionProvider.Cpu], opened.Attempts.Select(a => a.Provider));
        Assert.All(opened.Attempts.Take(2), a => Assert.Contains("not in this build", a.Reason));
        Assert.Contains("cuda", opened.Report);
        var input = new DenseTensor<float>(new float[] { 1, 2, 3 }, [1, 3]);
        using var results = opened.Session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);
        Assert.Equal([2f, 4f, 6f], results.First().AsEnumerable<float>());
    }

    [Fact]
    public void Only_providers_this_build_has_are_offered_and_cpu_always_is()
    {
        var offered = ProviderOrder.InThisBuild(ProviderOrder.Parse(["directml", "cuda", "cpu"]));

        Assert.Equal(ExecutionProvider.Cpu, offered[^1]);
        // the CPU flavour built here has neither GPU provider; a CUDA build keeps cuda first
        var native = OnnxRuntimeEnvironment.AvailableProviders();
        Assert.Equal(native.Contains("CUDAExecutionProvider"), offered.Contains(ExecutionProvider.Cuda));
        Assert.Equal(native.Contains("DmlExecutionProvider"), offered.Contains(ExecutionProvider.DirectML));
    }
}
