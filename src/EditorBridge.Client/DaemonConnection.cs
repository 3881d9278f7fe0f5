using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EditorBridge.Client;

/// <summary>
/// A connection to the local daemon: found through the discovery file (started when it does
/// not answer), authenticated with the per-user token on every call.
/// </summary>
public sealed class DaemonConnection : IDisposable
{
    private readonly GrpcChannel channel;

    private DaemonConnection(GrpcChannel channel, LocalSocketConnector connector, DiscoveryInfo discovery, string token, StatePaths paths, bool sharedMemory)
    {
        this.channel = channel;
        Connector = connector;
        Discovery = discovery;
        Token = token;
        Paths = paths;
        var invoker = channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
        Client = new EditorBridgeClient(new Protocol.V1.EditorBridge.EditorBridgeClient(invoker), sharedMemory && IsLoopback(discovery.GrpcAddress) ? paths : null);
    }

    /// <summary>How long GetInfo may take before the daemon a discovery file names counts as not answering.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public DiscoveryInfo Discovery { get; }

    public string Token { get; }

    public StatePaths Paths { get; }

    public EditorBridgeClient Client { get; }

    /// <summary>The studio daemon's URL when this is a remote connection (no shared memory, only the crop a job needs); null for the local daemon.</summary>
    public Uri? RemoteUrl { get; private init; }

    public bool IsRemote => RemoteUrl is not null;

    /// <summary>Opens the channel's connections (Unix socket or TCP) and says which one the latest used (not used for a remote daemon).</summary>
    public LocalSocketConnector Connector { get; }

    /// <summary>Connects to the running daemon, starting it when allowed and needed.</summary>
    public static async Task<DaemonConnection> ConnectAsync(ConnectOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ConnectOptions();
        var paths = StatePaths.ForCurrentUser(options.StateDirectory);
        if (options.DaemonUrl is { } url)
            return await RemoteDaemon.ConnectAsync(url, options, paths, cancellationToken);
        var stale = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        var existing = await TryExistingAsync(paths, null, options.Transport, options.SharedMemory, cancellationToken);
        if (existing is not null)
            return existing;
        if (!options.AutoStart)
            throw new DaemonUnavailableException($"no EditorBridge daemon is running for {paths.StateDirectory}; start it with 'editorbridge serve'");
        long logStart = File.Exists(paths.LogFile) ? new FileInfo(paths.LogFile).Length : 0;
        using var process = DaemonLauncher.Start(options.DaemonCommand, options.StateDirectory);
        return await WaitForStartAsync(paths, process, stale, logStart, options, cancellationToken);
    }

    /// <summary>Connects to a daemon at a known address (tests, tools that started it themselves).</summary>
    public static DaemonConnection Open(DiscoveryInfo discovery, string token, StatePaths paths, ByteTransport transport = ByteTransport.Auto, bool sharedMemory = true)
    {
        var connector = new LocalSocketConnector(paths.GrpcSocket, transport);
        return new(CreateChannel(discovery.GrpcAddress, connector), connector, discovery, token, paths, sharedMemory);
    }

    // Shared memory only where client and daemon share the machine.
    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));

    /// <summary>Connects to a studio daemon by URL over TLS (<see cref="RemoteDaemon"/> checks it answers).</summary>
    public static DaemonConnection OpenRemote(Uri url, string token, System.Net.Security.SslClientAuthenticationOptions tls, TimeSpan connectTimeout, StatePaths paths) =>
        new(CreateChannel(url.ToString(), null, connectTimeout, tls), new LocalSocketConnector(paths.GrpcSocket, ByteTransport.Tcp), new DiscoveryInfo(url.Port, url.Port, 0, "", 0), token, paths, sharedMemory: false) { RemoteUrl = url };

    /// <summary>The daemon the discovery file names, if it answers GetInfo with our token; null otherwise (<paramref name="rejected"/>: a file already found stale is not tried again).</summary>
    private static async Task<DaemonConnection?> TryExistingAsync(StatePaths paths, DiscoveryInfo? rejected, ByteTransport transport, bool sharedMemory, CancellationToken cancellationToken)
    {
        var discovery = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        if (discovery is null || discovery == rejected || !discovery.ProcessIsAlive() || !File.Exists(paths.TokenFile))
            return null;
        var connection = Open(discovery, TokenFile.Read(paths.TokenFile), paths, transport, sharedMemory);
        try
        {
            // generous: a live daemon on a machine busy rendering can take seconds to answer, and a
            // wrong "stale" verdict starts a second daemon, which then gives way (exit 7)
            await connection.Client.GetInfoAsync(ProbeTimeout, cancellationToken);
            return connection;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
                                         or StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            // a stale file: the pid was reused, or the port now belongs to someone else (another
            // program, or another user's daemon, which refuses our token)
            connection.Dispose();
            return null;
        }
    }

    private static async Task<DaemonConnection> WaitForStartAsync(StatePaths paths, LaunchedDaemon process, DiscoveryInfo? stale, long logStart, ConnectOptions options, CancellationToken cancellationToken)
    {
        var timeout = options.StartTimeout;
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            // The file found stale is not tried again while our daemon starts, unless our daemon
            // gave way to the one holding the lock: then that may be it after all, only slow.
            bool gaveWay = process.HasExited && process.ExitCode == DaemonLauncher.AlreadyRunningExitCode;
            if (await TryExistingAsync(paths, gaveWay ? null : stale, options.Transport, options.SharedMemory, cancellationToken) is { } connection)
                return connection;
            // Another daemon took the state folder first (another editor auto-started it at the same
            // moment): wait for that one to answer instead.
            if (process.HasExited && process.ExitCode != 0 && process.ExitCode != DaemonLauncher.AlreadyRunningExitCode)
                throw new DaemonUnavailableException((StartupError(paths, logStart) ?? process.ExitMessage()) is { } why
                    ? $"the daemon did not start: {why}"
                    : $"the daemon exited with code {process.ExitCode} while starting; run 'editorbridge serve' to see why, or 'editorbridge doctor'");
            await Task.Delay(100, cancellationToken);
        }

        throw new DaemonUnavailableException($"the daemon did not answer within {timeout.TotalSeconds:0} s of starting; see {paths.LogFile}");
    }

    /// <summary>The daemon's own one-line error ("editorbridge: error: …") from what it logged since <paramref name="logStart"/>.</summary>
    private static string? StartupError(StatePaths paths, long logStart)
    {
        try
        {
            using var log = new FileStream(paths.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log.Seek(Math.Min(logStart, log.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(log);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Unprefixed(lines.LastOrDefault(l => l.StartsWith("editorbridge:", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return null;
        }
    }

    // "editorbridge: error: X" → "X"
    internal static string? Unprefixed(string? error) =>
        error is null ? null : error["editorbridge:".Length..].Trim() is var e && e.StartsWith("error:", StringComparison.Ordinal) ? e["error:".Length..].Trim() : e;

    // a remote daemon (connector null): plain TCP + TLS, the given connect timeout
    private static GrpcChannel CreateChannel(string address, LocalSocketConnector? connector, TimeSpan? connectTimeout = null, System.Net.Security.SslClientAuthenticationOptions? tls = null) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            // Dispose closes the sockets (the daemon frees this connection's pixel regions then)
            DisposeHttpClient = true,
            HttpHandler = new SocketsHttpHandler
            {
                InitialHttp2StreamWindowSize = 16 * 1024 * 1024, // the most SocketsHttpHandler allows
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
                SslOptions = tls ?? new System.Net.Security.SslClientAuthenticationOptions(),
                ConnectCallback = connector is null ? null : connector.ConnectAsync,
            },
        });

    public void Dispose()
    {
        Client.Dispose();
        channel.Dispose();
    }
}
