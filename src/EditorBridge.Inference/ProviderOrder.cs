namespace EditorBridge.Inference;

/// <summary>Parses the provider names settings use ("directml", "cuda", "cpu"), best first; CPU is always the last resort.</summary>
public static class ProviderOrder
{
    public static IReadOnlyList<ExecutionProvider> Parse(IEnumerable<string> names)
    {
        var order = new List<ExecutionProvider>();
        foreach (var name in names)
        {
            var provider = name.Trim().ToLowerInvariant() switch
            {
                "cpu" => ExecutionProvider.Cpu,
                "cuda" => ExecutionProvider.Cuda,
                "directml" or "dml" => ExecutionProvider.DirectML,
                _ => throw new ArgumentException($"unknown execution provider '{name}'; known: directml, cuda, cpu"),
            };
            if (!order.Contains(provider))
                order.Add(provider);
        }

        if (!order.Contains(ExecutionProvider.Cpu))
            order.Add(ExecutionProvider.Cpu);
        return order;
    }

    /// <summary>The device name reports use: "cpu", "cuda:0", "directml:0".</summary>
    public static string DeviceName(ExecutionProvider provider, int deviceId = 0) => provider switch
    {
        ExecutionProvider.Cuda => $"cuda:{deviceId}",
        ExecutionProvider.DirectML => $"directml:{deviceId}",
        _ => "cpu",
    };
}
