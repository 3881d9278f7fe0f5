namespace EditorBridge.ModelStore;

/// <summary>What a derived model was made of: the base model (name and identity at the time) and every LoRA merged into it.</summary>
public sealed record ModelVariant(string BaseModel, string BaseIdentity, IReadOnlyList<LoraUse> Loras);

/// <summary>One LoRA merged into a model: its file name, SHA-256 and the strength it was merged at.</summary>
public sealed record LoraUse(string File, string Sha256, double Strength);
