using EditorBridge.Engines;

namespace EditorBridge.Engines.Onnx;

/// <summary>Single-graph image models from the model store, run as their manifests describe. Offers nothing until one is installed.</summary>
public sealed class OnnxEngine : IEngine
{
    private EngineEnvironment? environment;

    public void Configure(EngineEnvironment environment) => this.environment = environment;

    public EngineDescriptor Describe() =>
        new("onnx", "0.1.0", "Image models (LaMa, ESRGAN-class, colorizers, fast style, segmenters) on ONNX Runtime", [], ["cpu"], Priority: 10);

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
        throw new EngineInputException("operation", $"no image model is installed (model store: {environment?.ModelsDirectory})");

    public void Dispose()
    {
    }
}
