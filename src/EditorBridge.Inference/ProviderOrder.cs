namespace EditorBridge.Inference;

/// <summary>Parses the provider names settings use ("directml", "cuda", "cpu"), best first; CPU is always the last resort.</summary>
public static class ProviderOrder
{
    public static IReadOnlyList<ExecutionProvider> Parse(IEnumerable<string> names)
    {
        var order = new List<ExecutionProvider>();
        foreach (var name in names)
        {
            if (!TryName(name, out var provider))
                throw new ArgumentException($"unknown execution provider '{name}'; known: directml, cuda, cpu", nameof(names));
            if (!order.Contains(provider))
                order.Add(provider);
        }

        if (!order.Contains(ExecutionProvider.Cpu))
            order.Add(ExecutionProvider.Cpu);
        return order;
    }

    /// <summary>
    /// Like <see cref="Parse"/>, but a name it does not know is left out and returned in
    /// <paramref name="unknown"/> (a typo in a setting must not stop every model from running).
    /// </summary>
    public static IReadOnlyList<ExecutionProvider> ParseKnown(IEnumerable<string> names, out IReadOnlyList<string> unknown)
    {
        var known = new List<string>();
        var skipped = new List<string>();
        foreach (var name in names)
            (TryName(name, out _) ? known : skipped).Add(name);
        unknown = skipped;
        return Parse(known);
    }

    /// <summary>The providers of <paramref name="order"/> this build's native ONNX Runtime has (CPU always), best first.</summary>
    public static IReadOnlyList<ExecutionProvider> InThisBuild(IReadOnlyList<ExecutionProvider> order)
    {
        var available = OnnxRuntimeEnvironment.AvailableProviders();
        return order.Where(p => p == ExecutionProvider.Cpu || available.Contains(SessionOpener.NativeName(p))).ToList();
    }

    /// <summary>The device name reports use: "cpu", "cuda:0", "directml:0".</summary>
    public static string DeviceName(ExecutionProvider provider, int deviceId = 0) => provider switch
    {
        ExecutionProvider.Cuda => $"cuda:{deviceId}",
        ExecutionProvider.DirectML => $"directml:{deviceId}",
        _ => "cpu",
    };

    private static bool TryName(string name, out ExecutionProvider provider)
    {
        (bool known, provider) = name.Trim().ToLowerInvariant() switch
        {
            "cpu" => (true, ExecutionProvider.Cpu),
            "cuda" => (true, ExecutionProvider.Cuda),
            "directml" or "dml" => (true, ExecutionProvider.DirectML),
            _ => (false, ExecutionProvider.Cpu),
        };
        return known;
    }
}
