namespace EditorBridge.Daemon.Plugins;

/// <summary>
/// The engines the daemon serves with, and the plugins that failed to load. <see cref="Refresh"/>
/// asks every engine to describe itself again (after a model is installed or removed) and swaps
/// the whole list at once: readers see the old or the new list, never a mix, and jobs already
/// planned keep the <see cref="LoadedEngine"/> they were given.
/// </summary>
public sealed class EngineCatalog : IDisposable
{
    private readonly Lock refreshing = new();
    private readonly IReadOnlyList<PluginProblem> loadProblems;
    private volatile Snapshot current;

    public EngineCatalog(IReadOnlyList<LoadedEngine> engines, IReadOnlyList<PluginProblem> problems)
    {
        loadProblems = problems;
        current = new Snapshot(engines, problems);
    }

    public IReadOnlyList<LoadedEngine> Engines => current.Engines;

    public IReadOnlyList<PluginProblem> Problems => current.Problems;

    /// <summary>
    /// The requested engine, or the highest-priority one offering the operation; with a model name,
    /// only an engine whose operation lists that installed model.
    /// </summary>
    public LoadedEngine? Find(string operation, string? engineName, string? modelName = null) =>
        Route(operation)
            .Where(e => string.IsNullOrEmpty(engineName) || string.Equals(e.Name, engineName, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(e => string.IsNullOrEmpty(modelName) || e.Operation(operation)!.Models.Contains(modelName, StringComparer.OrdinalIgnoreCase));

    /// <summary>The engines offering <paramref name="operation"/>, in the order a request without an engine picks them.</summary>
    public IReadOnlyList<LoadedEngine> Route(string operation) => Route(Engines, operation);

    /// <summary>The engines of <paramref name="engines"/> offering <paramref name="operation"/>: higher priority first, ties in loading order.</summary>
    public static IReadOnlyList<LoadedEngine> Route(IReadOnlyList<LoadedEngine> engines, string operation) =>
        [.. engines.Where(e => e.Operation(operation) is not null).OrderByDescending(e => e.Descriptor.Priority)];

    public bool HasEngine(string name) =>
        Engines.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> Operations => Engines.SelectMany(e => e.Descriptor.Operations).Select(o => o.Name).Distinct();

    /// <summary>
    /// Calls Describe() on every engine again and publishes the new descriptors. An engine whose
    /// Describe() throws keeps its previous descriptor and the failure is listed in <see cref="Problems"/>.
    /// </summary>
    public void Refresh()
    {
        lock (refreshing)
        {
            var problems = new List<PluginProblem>(loadProblems);
            var engines = current.Engines.Select(engine => Redescribe(engine, problems)).ToList();
            current = new Snapshot(engines, problems);
        }
    }

    public void Dispose()
    {
        // Plugin contexts are not unloaded: native libraries and GPU memory do not come back that way.
        foreach (var engine in Engines)
            engine.Engine.Dispose();
    }

    private static LoadedEngine Redescribe(LoadedEngine engine, List<PluginProblem> problems)
    {
        try
        {
            return engine with { Descriptor = engine.Engine.Describe() };
        }
        catch (Exception e)
        {
            problems.Add(new PluginProblem(engine.Location, $"engine '{engine.Name}' failed to describe itself after the models changed: {e.GetType().Name}: {e.Message}"));
            return engine;
        }
    }

    private sealed record Snapshot(IReadOnlyList<LoadedEngine> Engines, IReadOnlyList<PluginProblem> Problems);
}
