namespace EditorBridge.Client;

/// <summary>The daemon is not running and could not be started; the message says what to do.</summary>
public sealed class DaemonUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
