namespace EditorBridge.Daemon.Models;

/// <summary>What ImportModel asks for; empty texts: not given (the store reads them from the model).</summary>
public sealed record ModelImportRequest(string Path, string Name, string Kind, string LicenceId, bool Replace);
