namespace EditorBridge.Installer.Editors;

/// <summary>kritarc is not a text settings file the installer dares to rewrite (binary, not UTF-8, unreadable).</summary>
public sealed class KritarcUnreadableException(string message) : Exception(message);
