using EditorBridge.Inference;

namespace EditorBridge.Inference.Tests;

public sealed class ProviderOrderTests
{
    [Fact]
    public void An_unknown_provider_name_is_refused_naming_it_and_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ProviderOrder.Parse(["cuda", "tensorrt"]));

        Assert.Contains("'tensorrt'", error.Message);
        Assert.Contains("directml, cuda, cpu", error.Message);
    }

    [Fact]
    public void Names_are_parsed_in_order_without_repeats_and_cpu_comes_last_when_not_named()
    {
        Assert.Equal([ExecutionProvider.DirectML, ExecutionProvider.Cuda, ExecutionProvider.Cpu], ProviderOrder.Parse([" DML", "cuda", "directml"]));
        Assert.Equal([ExecutionProvider.Cpu, ExecutionProvider.Cuda], ProviderOrder.Parse(["cpu", "CUDA"]));
    }

    [Fact]
    public void A_lenient_parse_leaves_unknown_names_out_and_reports_them()
    {
        var order = ProviderOrder.ParseKnown(["rocm", "cuda", "npu"], out var unknown);

        Assert.Equal([ExecutionProvider.Cuda, ExecutionProvider.Cpu], order);
        Assert.Equal(["rocm", "npu"], unknown);
    }
}
