using EditorBridge.Engines;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The engine a fresh install has: no model download. Lowest priority, so model-backed
/// engines take over an operation once their models are installed.
/// </summary>
public sealed class ClassicEngine : IEngine
{
    public const string Name = "classic";

    public EngineDescriptor Describe() => new(
        Name,
        typeof(ClassicEngine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "Classic image processing (OpenCV, own exemplar synthesis, restoration and colorization); needs no model.",
        [FillOperation.Descriptor, RestoreOperation.Descriptor, StylizeOperation.Descriptor, ComposeOperation.Descriptor, SegmentOperation.Descriptor, ColorizeOperation.Descriptor],
        ["cpu"],
        Priority: 0);

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
        request.Operation switch
        {
            FillOperation.Name => FillOperation.RunAsync(request, progress, cancellationToken),
            RestoreOperation.Name => RestoreOperation.RunAsync(request, progress, cancellationToken),
            StylizeOperation.Name => StylizeOperation.RunAsync(request, progress, cancellationToken),
            ComposeOperation.Name => ComposeOperation.RunAsync(request, progress, cancellationToken),
            SegmentOperation.Name => SegmentOperation.RunAsync(request, progress, cancellationToken),
            ColorizeOperation.Name => ColorizeOperation.RunAsync(request, progress, cancellationToken),
            _ => throw new EngineInputException("operation", $"the classic engine does not offer '{request.Operation}'"),
        };

    public void Dispose()
    {
    }
}
