namespace EditorBridge.Installer.Installation;

/// <summary>The install cannot go on; the message says why and what to do.</summary>
public sealed class SetupException(string message) : Exception(message);
