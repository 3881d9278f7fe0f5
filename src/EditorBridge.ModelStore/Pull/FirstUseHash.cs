namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// A file whose publisher gives no checksum: the SHA-256 this pull computed and recorded (trust on
/// first use). Later pulls of the same URL must match it.
/// </summary>
public sealed record FirstUseHash(string File, string Sha256, string Url);
