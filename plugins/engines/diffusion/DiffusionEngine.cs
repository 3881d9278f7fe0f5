using System.Collections.Concurrent;
using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Operations;
using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;
using EditorBridge.ModelStore;

namespace EditorBridge.Engines.Diffusion;

/// <summary>
/// Stable Diffusion 1.5- and SDXL-family models (diffusers ONNX layout) from the model store, on ONNX Runtime
/// with the configured execution providers. Offers nothing until a diffusion model is installed.
/// Sessions are shared between jobs and released when idle.
/// </summary>
public sealed class DiffusionEngine : IEngine
{
    private readonly ConcurrentDictionary<string, ClipTokenizer> tokenizers = new(StringComparer.Ordinal);
    private EngineEnvironment environment = new("", ["cpu"], TimeSpan.FromMinutes(5));
    private IReadOnlyList<ExecutionProvider> order = [ExecutionProvider.Cpu];
    private SharedSessions? sessions;
    private volatile string? lastDevice;

    /// <summary>VAE tile side in latents (64 = 512 px); tests lower it to check tiled decoding.</summary>
    internal int VaeTileLatents { get; set; } = VaeCodec.DefaultTileLatents;

    /// <summary>Sessions open now (tests: shared between jobs, released when idle).</summary>
    internal int OpenSessions => sessions?.OpenCount ?? 0;

    /// <summary>Set after each job: time per job outside and inside InferenceSession.Run (benchmark).</summary>
    internal (TimeSpan Own, TimeSpan Run, int Steps, IReadOnlyList<double> RunMilliseconds) LastStepTimes { get; private set; }

    /// <summary>Set after each job: the conditioning images its ControlNets were fed (tests check their size and range).</summary>
    internal IReadOnlyList<ControlImage> LastControls { get; private set; } = [];

    public void Configure(EngineEnvironment environment)
    {
        // ONNX Runtime is not touched here: its native library and environment (one shared thread pool)
        // load on first use, through OnnxRuntimeEnvironment (docs/benchmarks.md, idle memory).
        this.environment = environment;
        order = ProviderOrder.Parse(environment.ExecutionProviders);
        sessions?.Dispose();
        sessions = new SharedSessions(order, environment.IdleRelease);
    }

    public EngineDescriptor Describe()
    {
        var installed = DiffusionModelScan.Scan(environment.ModelsDirectory);
        // with no model installed ONNX Runtime is not asked for its providers (that would load it into an idle daemon)
        var device = lastDevice ?? ProviderOrder.DeviceName(installed.Count == 0 ? ExecutionProvider.Cpu : FirstAvailableProvider());
        return new("diffusion", "0.2.0", "Stable Diffusion 1.5- and SDXL-family models (diffusers ONNX layout) on ONNX Runtime",
            DiffusionOperations.For(installed), [device], Priority: 20);
    }

    public IReadOnlyList<string> CheckModel(string directory, string kind) =>
        kind == ModelKind.Diffusion ? DiffusionModelCheck.Check(directory) : [];

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var model = Model(request);
        var shared = sessions ??= new SharedSessions(order, environment.IdleRelease);
        ClipTokenizer[] tokenizer = model.IsXL
            ? [Tokenizer(model, DiffusionLayout.Tokenizer), Tokenizer(model, DiffusionLayout.Tokenizer2)]
            : [Tokenizer(model, DiffusionLayout.Tokenizer)];
        return Task.Run(() =>
        {
            var job = new DiffusionJob(request, model, shared, tokenizer, VaeTileLatents, FirstAvailableProvider());
            var output = job.Run(progress, cancellationToken);
            LastStepTimes = job.StepTimes;
            LastControls = job.Controls;
            lastDevice = output.Device;
            return output;
        }, cancellationToken);
    }

    public void Dispose() => sessions?.Dispose();

    private ClipTokenizer Tokenizer(InstalledDiffusionModel model, string folder) =>
        tokenizers.GetOrAdd($"{model.Identity}/{folder}", _ => ClipTokenizer.Load(Path.Combine(model.Directory, folder)));

    private InstalledDiffusionModel Model(EngineRequest request)
    {
        var models = DiffusionModelScan.Scan(environment.ModelsDirectory);
        var operation = DiffusionOperations.For(models).FirstOrDefault(o => o.Name == request.Operation)
            ?? throw new EngineInputException("operation", models.Count == 0
                ? $"no diffusion model is installed (model store: {environment.ModelsDirectory})"
                : $"the installed diffusion models do not offer '{request.Operation}'");
        var name = request.Model.Length > 0 ? request.Model : operation.Models[0];
        if (!operation.Models.Contains(name))
            throw new EngineInputException("model", $"model '{name}' cannot serve {request.Operation}; these can: {string.Join(", ", operation.Models)}");
        return models.First(m => m.Name == name);
    }

    // the provider a job's sessions will most likely open with (the first in this build's runtime)
    private ExecutionProvider FirstAvailableProvider()
    {
        var available = ProviderOrder.InThisBuild(order);
        return order.FirstOrDefault(available.Contains);
    }
}
