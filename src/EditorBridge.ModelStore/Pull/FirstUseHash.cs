namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// A file whose publisher gives no checksum: the SHA-256 this pull computed and recorded (trust on
/// first use), with the exact size. Later pulls of the same URL must match both.
/// </summary>
public sealed record FirstUseHash(string File, string Sha256, long Size, string Url);
