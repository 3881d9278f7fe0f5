namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// How far a pull is: bytes of the whole model, the file being fetched, the recent speed and the time
/// left at that speed (null until there is a speed to go by).
/// </summary>
public sealed record PullProgress(string File, long BytesDone, long BytesTotal, double BytesPerSecond, double? SecondsLeft);
