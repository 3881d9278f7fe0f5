namespace EditorBridge.PaintDotNet.Core;

/// <summary>How the plugin reaches the daemon.</summary>
public sealed record DaemonGatewayOptions
{
    /// <summary>State folder of the daemon; null = the current user's (or EDITORBRIDGE_STATE_DIR).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Start the daemon when it is not running.</summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>Where to look for the program to start; null = <see cref="DaemonLocator.Default"/>.</summary>
    public DaemonLocator? Locator { get; init; }

    /// <summary>How long a starting daemon may take to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of short calls (GetInfo).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A studio's shared daemon (https://HOST:PORT) instead of the local one; never started by the
    /// plugin. The token is the state folder's studio-token file (or EDITORBRIDGE_TOKEN).
    /// </summary>
    public Uri? DaemonUrl { get; init; }

    /// <summary>The studio daemon's certificate fingerprint to pin (SHA-256, as serve printed it).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// The options the dialog uses: the studio connection saved on this machine (<c>studio.json</c>,
    /// written by the dialog's settings or <c>editorbridge remote set</c>), else the local daemon.
    /// </summary>
    public static DaemonGatewayOptions ForThisMachine(string? stateDirectory = null)
    {
        var saved = LocalState.StudioConnection.Load(LocalState.StatePaths.ForCurrentUser(stateDirectory));
        return saved is null
            ? new DaemonGatewayOptions { StateDirectory = stateDirectory }
            : new DaemonGatewayOptions { StateDirectory = stateDirectory, AutoStart = false, DaemonUrl = new Uri(saved.Url), Fingerprint = saved.Fingerprint };
    }
}
