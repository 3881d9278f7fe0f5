using System.Collections.Concurrent;
using EditorBridge.Inference;
using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Single-graph image models from the model store (inpaint, upscale, colorize, style, segment), run as
/// their manifests' signatures describe: no model-specific code. Offers an operation only while a model
/// serving it is installed. Sessions are shared between jobs and closed when idle; the execution
/// provider is the first of the configured order that works.
/// </summary>
public sealed class OnnxEngine : IEngine
{
    public const string Name = "onnx";

    private readonly ConcurrentDictionary<string, byte> matched = new(StringComparer.Ordinal);
    private EngineEnvironment environment = new("", ["cpu"], TimeSpan.FromMinutes(5));
    private IReadOnlyList<ExecutionProvider> order = [ExecutionProvider.Cpu];
    private IReadOnlyList<string> unknownProviders = [];
    private SharedSessions? sessions;
    private volatile IReadOnlyList<InstalledModel> models = [];

    public void Configure(EngineEnvironment environment)
    {
        // ONNX Runtime is not touched here: its native library and environment (one shared thread pool)
        // load on first use, through OnnxRuntimeEnvironment, so an idle daemon with no models installed
        // does not carry them (docs/benchmarks.md, idle memory).
        this.environment = environment;
        order = ProviderOrder.ParseKnown(environment.ExecutionProviders, out unknownProviders);
        sessions?.Dispose();
        sessions = new SharedSessions(order, environment.IdleRelease);
    }

    public EngineDescriptor Describe()
    {
        models = ModelShelf.Scan(environment.ModelsDirectory);
        var operations = new List<OperationDescriptor>();
        AddIfAny(operations, ModelKind.Inpaint, FillRun.Describe);
        AddIfAny(operations, ModelKind.Upscale, UpscaleRun.Describe);
        AddIfAny(operations, ModelKind.Colorize, ColorizeRun.Describe);
        AddIfAny(operations, ModelKind.Style, StyleRun.Describe);
        AddIfAny(operations, ModelKind.Segment, SegmentRun.Describe);
        var description = "Image models (LaMa, ESRGAN-class, colorizers, fast style, segmenters) on ONNX Runtime";
        if (unknownProviders.Count > 0)
            description += $"; unknown execution providers ignored: {string.Join(", ", unknownProviders)}";
        return new EngineDescriptor(Name, typeof(OnnxEngine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", description, operations, Devices(), Priority: 10);
    }

    // with no model installed the engine offers nothing, and its devices are not asked of ONNX Runtime
    // (which would load the native library into an idle daemon): it would run on the CPU
    private List<string> Devices() => models.Count == 0
        ? [ProviderOrder.DeviceName(ExecutionProvider.Cpu)]
        : ProviderOrder.InThisBuild(order).Select(p => ProviderOrder.DeviceName(p)).ToList();

    public IReadOnlyList<string> CheckModel(string directory, string kind) => ModelFolderCheck.Check(directory, kind);

    public async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var kind = request.Operation switch
        {
            FillRun.Name => ModelKind.Inpaint,
            UpscaleRun.Name => ModelKind.Upscale,
            ColorizeRun.Name => ModelKind.Colorize,
            StyleRun.Name => ModelKind.Style,
            SegmentRun.Name => ModelKind.Segment,
            _ => throw new EngineInputException("operation", $"the onnx engine does not offer '{request.Operation}'"),
        };
        var model = Pick(request, kind);
        var shared = sessions ?? throw new InvalidOperationException("the onnx engine was not configured");
        using var lease = Open(shared, model);
        EnsureMatches(model, lease);
        progress.Report(new EngineProgress(0, 1, model.Name));
        EngineMask? mask = null;
        EngineImage image;
        switch (kind)
        {
            case ModelKind.Inpaint:
                image = FillRun.Run(model, lease.Session, request, cancellationToken);
                break;
            case ModelKind.Upscale:
                image = await UpscaleRun.RunAsync(model, lease.Session, request, progress, cancellationToken);
                break;
            case ModelKind.Colorize:
                image = ColorizeRun.Run(model, lease.Session, request, cancellationToken);
                break;
            case ModelKind.Style:
                image = await StyleRun.RunAsync(model, lease.Session, request, progress, cancellationToken);
                break;
            default:
                (image, mask) = SegmentRun.Run(model, lease.Session, request, cancellationToken);
                break;
        }

        var resolved = kind == ModelKind.Style ? new Dictionary<string, object> { ["style"] = model.Name } : null;
        return new EngineOutput(image, lease.Device, model.Identity, resolved, mask) { ModelName = model.Name };
    }

    public void Dispose() => sessions?.Dispose();

    private void AddIfAny(List<OperationDescriptor> operations, string kind, Func<IReadOnlyList<InstalledModel>, OperationDescriptor> describe)
    {
        var ofKind = models.Where(m => m.Kind == kind).ToList();
        if (ofKind.Count > 0)
            operations.Add(describe(ofKind));
    }

    /// <summary>The request's model, else (stylize) the chosen style, else (restore at scale k) the first upscaler of factor k, else the operation's default (first) model.</summary>
    private InstalledModel Pick(EngineRequest request, string kind)
    {
        var ofKind = models.Where(m => m.Kind == kind).ToList();
        string wanted = !string.IsNullOrEmpty(request.Model) ? request.Model
            : kind == ModelKind.Style && request.Parameters.TryGetValue("style", out var style) ? (string)style
            : "";
        if (wanted.Length == 0 && kind == ModelKind.Upscale && ofKind.Count > 1 && request.Parameters.ContainsKey("scale"))
        {
            // a family (×2, ×3, ×4 files) serves scale as a parameter: the model of that factor, else one it divides
            int scale = request.Integer("scale");
            if (scale > 1)
                return ofKind.FirstOrDefault(m => m.Signature.Scale == scale) ?? ofKind.FirstOrDefault(m => m.Signature.Scale % scale == 0) ?? ofKind[0];
        }

        if (wanted.Length == 0)
            return ofKind.FirstOrDefault() ?? throw new EngineInputException("model", $"no {kind} model is installed (model store: {environment.ModelsDirectory})");
        if (ofKind.FirstOrDefault(m => string.Equals(m.Name, wanted, StringComparison.OrdinalIgnoreCase)) is { } found)
            return found;
        var other = models.FirstOrDefault(m => string.Equals(m.Name, wanted, StringComparison.OrdinalIgnoreCase));
        throw new EngineInputException("model", other is not null
            ? $"model '{wanted}' is a {other.Kind} model; '{request.Operation}' needs a {kind} model (installed: {string.Join(", ", ofKind.Select(m => m.Name))})"
            : $"model '{wanted}' is not installed; {kind} models installed: {string.Join(", ", ofKind.Select(m => m.Name))}");
    }

    private static SessionLease Open(SharedSessions shared, InstalledModel model)
    {
        try
        {
            return shared.Acquire(model.OnnxPath);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidOperationException)
        {
            throw new EngineInputException("model", $"model '{model.Name}': '{model.Signature.File}' cannot be opened by ONNX Runtime: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The first time a model runs, its graph is compared with its signature.</summary>
    private void EnsureMatches(InstalledModel model, SessionLease lease)
    {
        // keyed by folder too: two manifests may describe the same file differently
        var key = $"{model.Directory}\n{model.Identity}";
        if (matched.ContainsKey(key))
            return;
        var problems = SignatureCheck.Roles(model.Name, model.Kind, model.Signature).Concat(SignatureCheck.Against(model.Name, model.Signature, lease.Session)).ToList();
        if (problems.Count > 0 && model.Signature.BindByPosition)
            problems.Add($"its signature binds tensors by position, so install '{model.Name}' again (import or pull) with the onnx engine loaded: its check takes the graph's names");
        if (problems.Count > 0)
            throw new EngineInputException("model", string.Join("; ", problems));
        matched.TryAdd(key, 0);
    }
}
