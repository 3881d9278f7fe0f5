namespace EditorBridge.LocalState;

/// <summary>
/// Per-user folders. EDITORBRIDGE_STATE_DIR overrides the state folder (tests, portable installs).
/// Linux: $XDG_STATE_HOME/editorbridge or ~/.local/state/editorbridge; Windows: %LOCALAPPDATA%\EditorBridge;
/// macOS: ~/Library/Application Support/EditorBridge.
/// </summary>
public sealed record StatePaths(string StateDirectory)
{
    public const string StateDirVariable = "EDITORBRIDGE_STATE_DIR";

    public string TokenFile => Path.Combine(StateDirectory, "token");

    public string DiscoveryFile => Path.Combine(StateDirectory, "daemon.json");

    public string LockFile => Path.Combine(StateDirectory, "daemon.lock");

    public string LogFile => Path.Combine(StateDirectory, "daemon.log");

    /// <summary>
    /// The daemon's gRPC listener as a Unix-domain socket (owner-only, in this owner-only folder);
    /// local .NET clients use it when it is there, else the TCP port (docs/architecture.md, transports).
    /// </summary>
    public string GrpcSocket => Path.Combine(StateDirectory, "grpc.sock");

    /// <summary>The daemon's owner-only folder of shared-memory pixel regions (emptied at every daemon start).</summary>
    public string RegionsDirectory => Path.Combine(StateDirectory, "regions");

    public static StatePaths ForCurrentUser(string? overrideDirectory = null)
    {
        var dir = overrideDirectory ?? Environment.GetEnvironmentVariable(StateDirVariable);
        if (string.IsNullOrWhiteSpace(dir))
            dir = DefaultDirectory();
        return new StatePaths(Path.GetFullPath(dir));
    }

    /// <summary>Creates the folder readable by the user alone (0700 on Unix).</summary>
    public void EnsureExists()
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(StateDirectory);
        else
            Directory.CreateDirectory(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string DefaultDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "EditorBridge");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Application Support", "EditorBridge");
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "state") : xdg, "editorbridge");
    }
}
