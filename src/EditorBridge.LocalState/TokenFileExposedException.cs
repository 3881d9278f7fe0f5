namespace EditorBridge.LocalState;

/// <summary>
/// The token file can be read (or written) by other users: the daemon refuses to run with it,
/// since anyone who read it can drive the daemon. The message says how to fix it.
/// </summary>
public sealed class TokenFileExposedException(string path, string mode)
    : IOException($"token file {path} is open to other users (mode {mode}); the daemon will not run with a token others may have read. "
                  + $"Fix: delete it so that a new one is made at the next start (rm '{path}'), or, if no one else can have read it, make it private (chmod 600 '{path}')")
{
    public string Path { get; } = path;
}
