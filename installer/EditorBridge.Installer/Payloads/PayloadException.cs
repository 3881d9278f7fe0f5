namespace EditorBridge.Installer.Payloads;

/// <summary>The package to install is incomplete or not for this machine.</summary>
public sealed class PayloadException(string message) : Exception(message);
