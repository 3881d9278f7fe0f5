namespace EditorBridge.Installer.Host;

/// <summary>A registry value as text (a DWORD as its decimal digits).</summary>
public sealed record RegistryValue(string Data, RegistryKind Kind);
