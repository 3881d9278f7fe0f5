namespace EditorBridge.Engines;

/// <summary>
/// An engine the daemon loads as a plugin. It says what it offers and runs one operation on
/// a prepared work area; all canvas geometry (cropping, scaling, blending) is the daemon's.
/// Implementations need a public parameterless constructor.
/// </summary>
public interface IEngine : IDisposable
{
    /// <summary>
    /// Called once before the first <see cref="Describe"/>. Model-backed engines keep the model store's
    /// folder and provider order; engines that need neither ignore it.
    /// </summary>
    void Configure(EngineEnvironment environment)
    {
    }

    /// <summary>
    /// What the engine offers now. The daemon asks again after models are installed or removed, so a
    /// model-backed engine lists the operations its installed models serve.
    /// </summary>
    EngineDescriptor Describe();

    /// <summary>
    /// Checks a model folder before the daemon installs it: for a kind this engine runs (see
    /// ModelKind), every file it needs is present and each graph's input/output names, ranks and
    /// dtypes are what the engine feeds. Returns one clear sentence per problem; empty when the
    /// folder is fine or the kind is not this engine's. Must not keep the model loaded. The one change it
    /// may make to the folder: write the graph's real tensor names into the manifest.json of a signature
    /// marked bindByPosition (the store accepts that and nothing else, and shows the names taken).
    /// </summary>
    IReadOnlyList<string> CheckModel(string directory, string kind) => [];

    /// <summary>
    /// Runs <paramref name="request"/>. Must observe <paramref name="cancellationToken"/> often
    /// (the daemon promises painters that cancel takes effect within 100 ms) and report progress.
    /// Throws <see cref="EngineInputException"/> for bad parameters.
    /// </summary>
    Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken);
}
