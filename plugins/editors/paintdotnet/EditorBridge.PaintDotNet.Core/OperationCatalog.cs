using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>What the daemon's GetInfo says about one operation: which engines offer it and with which parameters.</summary>
public sealed class OperationCatalog
{
    /// <summary>The engine choice that lets the daemon pick the best installed engine.</summary>
    public const string BestEngine = "";

    private readonly DaemonInfo info;

    public OperationCatalog(DaemonInfo info) => this.info = info ?? throw new ArgumentNullException(nameof(info));

    public DaemonInfo Info => info;

    /// <summary>Every operation some installed engine offers.</summary>
    public IReadOnlyList<string> Operations => info.Engines.SelectMany(e => e.Operations).Select(o => o.Name).Distinct().ToList();

    /// <summary>Engines offering <paramref name="operation"/>, in GetInfo's order.</summary>
    public IReadOnlyList<string> EnginesFor(string operation) =>
        info.Engines.Where(e => e.Operations.Any(o => o.Name == operation)).Select(e => e.Name).ToList();

    public bool Offers(string operation) => EnginesFor(operation).Count > 0;

    /// <summary>True when the engine (or, for the best engine, any engine offering it) needs a selection.</summary>
    public bool RequiresMask(string operation, string engine) =>
        Descriptors(operation, engine).Any(o => o.RequiresMask);

    /// <summary>
    /// The parameters to show. For a named engine, its own; for the best engine, only those every
    /// offering engine declares with the same kind, because the daemon refuses unknown names and
    /// which engine it picks is its choice.
    /// </summary>
    public IReadOnlyList<ParameterInfo> ParametersFor(string operation, string engine)
    {
        var descriptors = Descriptors(operation, engine).ToList();
        if (descriptors.Count == 0)
            return [];
        return descriptors[0].Parameters
            .Where(p => descriptors.All(d => d.Parameters.Any(q => q.Name == p.Name && q.Kind == p.Kind)))
            .ToList();
    }

    private IEnumerable<OperationInfo> Descriptors(string operation, string engine) =>
        info.Engines
            .Where(e => engine == BestEngine || string.Equals(e.Name, engine, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Operations)
            .Where(o => o.Name == operation);
}
