namespace EditorBridge.Daemon.Plugins;

/// <summary>An engine plugin that was found but not loaded, and why.</summary>
public sealed record PluginProblem(string Location, string Message);
