namespace EditorBridge.Daemon.Models;

/// <summary>What ImportModel asks for; empty texts: not given (the store reads them from the model).</summary>
/// <param name="BaseModel">Set: <paramref name="Path"/> is a LoRA file merged into this installed diffusion model as a new model.</param>
/// <param name="LoraStrength">The LoRA's strength (0: 1).</param>
public sealed record ModelImportRequest(string Path, string Name, string Kind, string LicenceId, bool Replace, string BaseModel = "", double LoraStrength = 0);
