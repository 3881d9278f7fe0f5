using EditorBridge.Engines;

namespace EditorBridge.Engines.Diffusion;

/// <summary>Stable Diffusion 1.5-family models from the model store. Offers nothing until one is installed.</summary>
public sealed class DiffusionEngine : IEngine
{
    private EngineEnvironment? environment;

    public void Configure(EngineEnvironment environment) => this.environment = environment;

    public EngineDescriptor Describe() =>
        new("diffusion", "0.1.0", "Stable Diffusion 1.5-family models (diffusers ONNX layout) on ONNX Runtime", [], ["cpu"], Priority: 20);

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
        throw new EngineInputException("operation", $"no diffusion model is installed (model store: {environment?.ModelsDirectory})");

    public void Dispose()
    {
    }
}
