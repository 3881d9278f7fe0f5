namespace EditorBridge.Daemon.Engines;

/// <summary>The engines the daemon serves with, and the plugins that failed to load.</summary>
public sealed class EngineCatalog(IReadOnlyList<LoadedEngine> engines, IReadOnlyList<PluginProblem> problems) : IDisposable
{
    public IReadOnlyList<LoadedEngine> Engines { get; } = engines;

    public IReadOnlyList<PluginProblem> Problems { get; } = problems;

    /// <summary>
    /// The requested engine, or the highest-priority one offering the operation; with a model name,
    /// only an engine whose operation lists that installed model.
    /// </summary>
    public LoadedEngine? Find(string operation, string? engineName, string? modelName = null) =>
        Engines
            .Where(e => string.IsNullOrEmpty(engineName) || string.Equals(e.Name, engineName, StringComparison.OrdinalIgnoreCase))
            .Where(e => e.Operation(operation) is { } offered
                && (string.IsNullOrEmpty(modelName) || offered.Models.Contains(modelName, StringComparer.OrdinalIgnoreCase)))
            .OrderByDescending(e => e.Descriptor.Priority)
            .FirstOrDefault();

    public bool HasEngine(string name) =>
        Engines.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> Operations => Engines.SelectMany(e => e.Descriptor.Operations).Select(o => o.Name).Distinct();

    public void Dispose()
    {
        // Plugin contexts are not unloaded: native libraries and GPU memory do not come back that way.
        foreach (var engine in Engines)
            engine.Engine.Dispose();
    }
}
