using EditorBridge.Daemon.Core;
using EditorBridge.Engines;
using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Plugins;

/// <summary>What model-backed engines are told once before they first describe themselves, from the daemon's settings.</summary>
public static class EngineEnvironments
{
    public static EngineEnvironment For(DaemonOptions options) => new(
        ModelStoreLocation.ForCurrentUser(string.IsNullOrEmpty(options.ModelsDirectory) ? null : options.ModelsDirectory),
        options.ExecutionProviders.Count > 0 ? options.ExecutionProviders : DefaultExecutionProviders(),
        TimeSpan.FromSeconds(Math.Max(1, options.ModelIdleReleaseSeconds)));

    private static IReadOnlyList<string> DefaultExecutionProviders() =>
        OperatingSystem.IsWindows() ? ["directml", "cuda", "cpu"] : ["cuda", "cpu"];
}
