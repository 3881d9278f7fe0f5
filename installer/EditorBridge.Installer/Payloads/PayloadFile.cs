namespace EditorBridge.Installer.Payloads;

/// <summary>One file to install: where it is in the package, and its path relative to its destination folder.</summary>
public sealed record PayloadFile(string Source, string RelativePath, long Size);
