namespace EditorBridge.ModelStore;

/// <summary>One file of a model: path relative to the model's folder ('/' separated), size in bytes, lower-case hex SHA-256.</summary>
public sealed record ModelFile(string Path, long Size, string Sha256);
