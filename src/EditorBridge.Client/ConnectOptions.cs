namespace EditorBridge.Client;

/// <summary>How a client finds (and if needed starts) the daemon.</summary>
public sealed record ConnectOptions
{
    /// <summary>State folder of the daemon to talk to; null = the current user's default.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Start the daemon when none answers.</summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>
    /// Command that starts the daemon (the <c>editorbridge</c> executable or its .dll); null =
    /// EDITORBRIDGE_DAEMON, else <c>editorbridge</c> beside this program.
    /// </summary>
    public string? DaemonCommand { get; init; }

    /// <summary>How long a daemon this client started may take to answer (JIT and plugin loading on a busy machine take long).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A studio's shared daemon (https://HOST:PORT) instead of this user's local one; never auto-started.</summary>
    public Uri? DaemonUrl { get; init; }

    /// <summary>The studio token for <see cref="DaemonUrl"/>; null = EDITORBRIDGE_TOKEN, else the state folder's studio-token file.</summary>
    public string? Token { get; init; }

    /// <summary>The remote daemon's certificate's SHA-256 fingerprint to pin; null = the system's certificate checks.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>How long a remote daemon may take to connect and answer GetInfo before the client gives up with a clear message.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How gRPC calls reach the daemon: its Unix socket where there is one (default), or TCP loopback only.</summary>
    public ByteTransport Transport { get; init; } = ByteTransport.Auto;

    /// <summary>Move job pixels through shared memory when the daemon is on this machine (falls back to bytes when refused).</summary>
    public bool SharedMemory { get; init; } = true;
}
