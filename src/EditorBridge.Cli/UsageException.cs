namespace EditorBridge.Cli;

/// <summary>The command line asks for something that cannot be done as written.</summary>
public sealed class UsageException(string message) : Exception(message);
