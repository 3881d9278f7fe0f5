namespace EditorBridge.Engines;

/// <summary>
/// What the daemon tells an engine about the machine before its first <see cref="IEngine.Describe"/>.
/// </summary>
/// <param name="ModelsDirectory">The per-user model store: one folder per installed model, each with its <c>manifest.json</c>.</param>
/// <param name="ExecutionProviders">
/// Execution providers to try, best first (e.g. <c>directml</c>, <c>cuda</c>, <c>cpu</c>): the user's
/// setting, else the daemon's default order. An engine falls back along it and reports the one that ran.
/// </param>
/// <param name="IdleRelease">Unload models (ONNX sessions, GPU memory) unused for this long.</param>
public sealed record EngineEnvironment(string ModelsDirectory, IReadOnlyList<string> ExecutionProviders, TimeSpan IdleRelease);
