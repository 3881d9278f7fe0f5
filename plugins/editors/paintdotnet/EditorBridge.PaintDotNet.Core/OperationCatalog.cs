using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>What the daemon's GetInfo says about one operation: which engines offer it and with which parameters.</summary>
public sealed class OperationCatalog
{
    /// <summary>The engine choice that lets the daemon pick the best installed engine.</summary>
    public const string BestEngine = "";

    /// <summary>The model choice that sends no model: the serving engine's default model.</summary>
    public const string AutomaticModel = "";

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
    /// Engines offering <paramref name="operation"/> in the order the daemon picks one when a job
    /// names no engine (GetInfo's operation route); GetInfo's engine order from a daemon without routes.
    /// </summary>
    public IReadOnlyList<string> RouteFor(string operation)
    {
        var offering = EnginesFor(operation);
        var route = info.OperationRoutes.FirstOrDefault(r => r.Operation == operation)?.Engines ?? [];
        return [.. route.Where(offering.Contains), .. offering.Where(e => !route.Contains(e))];
    }

    /// <summary>
    /// Installed models that serve <paramref name="operation"/>: a named engine's own, default first;
    /// for the best engine the union over the route's engines in route order, so the default comes first.
    /// </summary>
    public IReadOnlyList<string> ModelsFor(string operation, string engine) =>
        [.. Candidates(operation, engine).SelectMany(e => Descriptor(e, operation)?.Models ?? []).Distinct()];

    /// <summary>
    /// The engine that will serve a job: the named engine; else the first engine of the route that
    /// lists <paramref name="model"/>; else the route's first engine. Null when none offers it.
    /// </summary>
    public string? ServingEngine(string operation, string engine, string model)
    {
        var candidates = Candidates(operation, engine);
        if (model != AutomaticModel)
            return candidates.FirstOrDefault(e => Descriptor(e, operation)?.Models.Contains(model) == true) ?? candidates.FirstOrDefault();
        return candidates.FirstOrDefault();
    }

    /// <summary>
    /// The parameters to show: those of the engine that will serve the job (<see cref="ServingEngine"/>),
    /// because the daemon refuses parameter names that engine does not declare.
    /// </summary>
    public IReadOnlyList<ParameterInfo> ParametersFor(string operation, string engine, string model = AutomaticModel) =>
        ServingEngine(operation, engine, model) is { } serving ? [.. Descriptor(serving, operation)?.Parameters ?? []] : [];

    /// <summary>The extra pictures (hints, reference, object) the serving engine's operation takes.</summary>
    public IReadOnlyList<InputInfo> InputsFor(string operation, string engine, string model = AutomaticModel) =>
        ServingEngine(operation, engine, model) is { } serving ? [.. Descriptor(serving, operation)?.Inputs ?? []] : [];

    private IReadOnlyList<string> Candidates(string operation, string engine) =>
        engine == BestEngine ? RouteFor(operation) : [.. EnginesFor(operation).Where(e => string.Equals(e, engine, StringComparison.OrdinalIgnoreCase))];

    private OperationInfo? Descriptor(string engine, string operation) =>
        info.Engines.FirstOrDefault(e => e.Name == engine)?.Operations.FirstOrDefault(o => o.Name == operation);

    private IEnumerable<OperationInfo> Descriptors(string operation, string engine) =>
        info.Engines
            .Where(e => engine == BestEngine || string.Equals(e.Name, engine, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Operations)
            .Where(o => o.Name == operation);
}
