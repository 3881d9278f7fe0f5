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
}
