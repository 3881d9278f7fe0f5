namespace EditorBridge.Installer.Platform;

/// <summary>
/// Where EditorBridge goes for one user, per platform (no administrator rights anywhere):
/// <list type="table">
/// <item>Linux: program in <c>$XDG_DATA_HOME/editorbridge/app</c> (~/.local/share/…), command link in <c>~/.local/bin</c>.</item>
/// <item>Windows: program in <c>%LOCALAPPDATA%\Programs\EditorBridge</c> (where the Paint.NET plugin looks), on the user's PATH.</item>
/// <item>macOS: program in <c>~/Library/Application Support/EditorBridge/app</c> (beside the daemon's state), command link in <c>~/.local/bin</c>.</item>
/// </list>
/// The per-user state (token, discovery file, log, settings.json) is the daemon's folder
/// (EditorBridge.LocalState's <c>StatePaths</c>): user settings, kept on uninstall unless --purge.
/// </summary>
public sealed class InstallLayout
{
    public const string ManifestFileName = "install-manifest.json";

    /// <summary>The daemon's override of its state folder (EditorBridge.LocalState.StatePaths.StateDirVariable; a test keeps them equal).</summary>
    public const string StateDirVariable = "EDITORBRIDGE_STATE_DIR";

    public InstallLayout(UserFolders folders)
    {
        Folders = folders;
        AppDirectory = folders.Platform switch
        {
            HostPlatform.Windows => Path.Combine(folders.LocalAppData, "Programs", "EditorBridge"),
            HostPlatform.MacOS => Path.Combine(folders.Home, "Library", "Application Support", "EditorBridge", "app"),
            _ => Path.Combine(folders.XdgDataHome, "editorbridge", "app"),
        };
        BinDirectory = folders.Platform == HostPlatform.Windows ? null : Path.Combine(folders.Home, ".local", "bin");
        StateDirectory = StateDirectoryFor(folders);
        ModelsDirectory = folders.Platform switch
        {
            HostPlatform.Linux => Path.Combine(folders.XdgDataHome, "editorbridge", "models"),
            _ => Path.Combine(StateDirectory, "models"),
        };
    }

    public UserFolders Folders { get; }

    public HostPlatform Platform => Folders.Platform;

    /// <summary>The daemon, CLI, engines (engines/&lt;name&gt;/), the manifest and a copy of the setup program.</summary>
    public string AppDirectory { get; }

    /// <summary>Where the <c>editorbridge</c> command link goes (Linux, macOS); null on Windows (PATH instead).</summary>
    public string? BinDirectory { get; }

    public string ManifestPath => Path.Combine(AppDirectory, ManifestFileName);

    /// <summary>The daemon's per-user state folder, by the same rules as EditorBridge.LocalState's <c>StatePaths</c> (EDITORBRIDGE_STATE_DIR included).</summary>
    public string StateDirectory { get; }

    /// <summary>Where user models will live (kept unless --purge).</summary>
    public string ModelsDirectory { get; }

    /// <summary>
    /// ONNX Runtime's telemetry folder (a device id and an event queue), which daemons before 0.1
    /// let ONNX Runtime write on every start; now telemetry is off. Null on Windows (no files there).
    /// Shared by every program that uses ONNX Runtime: --purge deletes it, not its parents.
    /// </summary>
    public string? OnnxRuntimeCacheDirectory => Platform == HostPlatform.Windows
        ? null
        : Path.Combine(Folders.Variable("XDG_CACHE_HOME") ?? Path.Combine(Folders.Home, ".cache"), "Microsoft", "DeveloperTools", ".onnxruntime");

    public string DaemonExecutable => Path.Combine(AppDirectory, Folders.ExecutableName("editorbridge"));

    public string SetupExecutable => Path.Combine(AppDirectory, Folders.ExecutableName("editorbridge-setup"));

    public string? CommandLink => BinDirectory is null ? null : Path.Combine(BinDirectory, "editorbridge");

    public string? SetupLink => BinDirectory is null ? null : Path.Combine(BinDirectory, "editorbridge-setup");

    /// <summary>The files the daemon keeps in its state folder: purged by --purge, never touched otherwise.</summary>
    public static readonly IReadOnlyList<string> StateFiles =
        ["token", "daemon.json", "daemon.lock", "daemon.log", "settings.json", "grpc.sock", "tokens.json", "studio.json", "studio-token", "studio-cert.pem", "studio-key.pem"];

    /// <summary>Folders in the state folder that only the daemon fills (its shared-memory pixel regions): --purge deletes them whole.</summary>
    public static readonly IReadOnlyList<string> StateFolders = ["regions"];

    private static string StateDirectoryFor(UserFolders f)
    {
        if (f.Variable(StateDirVariable) is { } overridden)
            return Path.GetFullPath(overridden);
        return f.Platform switch
        {
            HostPlatform.Windows => Path.Combine(f.LocalAppData, "EditorBridge"),
            HostPlatform.MacOS => Path.Combine(f.Home, "Library", "Application Support", "EditorBridge"),
            _ => Path.Combine(f.XdgStateHome, "editorbridge"),
        };
    }
}
