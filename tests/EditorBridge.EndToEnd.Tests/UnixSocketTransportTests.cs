using System.Net.Sockets;
using EditorBridge.Client;
using EditorBridge.Daemon.Core;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// gRPC over the daemon's Unix-domain socket (grpc.sock in the state folder, GrpcUnixSocket: off by
/// default): bit-exact, owner-only, the same token, and TCP whenever the socket is not there or
/// nobody answers on it.
/// </summary>
public sealed class UnixSocketTransportTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_job_round_trip_over_the_socket_is_bit_exact()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var daemon = await RunningDaemon.StartAsync(o => o.GrpcUnixSocket = true, [TestEngines.Echo()]);
        using var unix = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);
        using var tcp = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths, ByteTransport.Tcp);
        foreach (var format in new[] { PixelFormat.Rgba8, PixelFormat.Rgba16 })
        {
            var bytes = new byte[300 * 200 * (format == PixelFormat.Rgba8 ? 4 : 8)];
            new Random(7).NextBytes(bytes);
            var request = new JobRequest { Operation = "noop", Layer = new Image { Width = 300, Height = 200, Format = format, Data = ByteString.CopyFrom(bytes) } };

            var overUnix = await unix.Client.RunJobAsync(request);
            var overTcp = await tcp.Client.RunJobAsync(request);

            Assert.Equal("unix", unix.Connector.Last);
            Assert.Equal("tcp", tcp.Connector.Last);
            Assert.Equal(format, overUnix.Layer.Format);
            Assert.True(overUnix.Layer.Data.Span.SequenceEqual(overTcp.Layer.Data.Span), $"{format}: the socket's result differs from TCP's");
            if (format == PixelFormat.Rgba8) // the echo engine returns random RGBA8 as sent; RGBA16 is compared between the transports
                Assert.True(overUnix.Layer.Data.Span.SequenceEqual(bytes), "the bytes came back changed");
        }
    }

    [Fact]
    public async Task The_socket_is_owner_only_in_an_owner_only_folder_and_goes_away_on_stop()
    {
        if (OperatingSystem.IsWindows())
            return;
        var daemon = await RunningDaemon.StartAsync(o => o.GrpcUnixSocket = true);
        var socket = daemon.Host.GrpcSocketPath;

        Assert.Equal(daemon.Host.Paths.GrpcSocket, socket);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(socket!));
        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(daemon.StateDirectory));
        await daemon.DisposeAsync();
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task The_socket_asks_for_the_same_token()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var daemon = await RunningDaemon.StartAsync(o => o.GrpcUnixSocket = true);
        using var channel = GrpcChannel.ForAddress(daemon.Host.Discovery.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectCallback = new LocalSocketConnector(daemon.Host.GrpcSocketPath, ByteTransport.Auto).ConnectAsync },
        });
        var client = new Protocol.V1.EditorBridge.EditorBridgeClient(channel);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await client.GetInfoAsync(new GetInfoRequest()));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Without_the_socket_the_client_uses_tcp()
    {
        await using var daemon = await RunningDaemon.StartAsync(); // off by default
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);

        await connection.Client.GetInfoAsync();

        Assert.Null(daemon.Host.GrpcSocketPath);
        Assert.False(File.Exists(daemon.Host.Paths.GrpcSocket));
        Assert.Equal("tcp", connection.Connector.Last);
    }

    [Fact]
    public async Task A_leftover_socket_nobody_listens_on_falls_back_to_tcp()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var daemon = await RunningDaemon.StartAsync(o => o.GrpcUnixSocket = false);
        // bound, never listening: the file is there, a connect is refused (.NET deletes it on Dispose)
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(daemon.Host.Paths.GrpcSocket));
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);

        await connection.Client.GetInfoAsync();

        Assert.True(File.Exists(daemon.Host.Paths.GrpcSocket));
        Assert.Equal("tcp", connection.Connector.Last);
    }

    [Fact]
    public async Task A_leftover_file_where_the_socket_goes_is_replaced_when_the_daemon_starts()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var state = new TempDirectory("ebs");
        var paths = new StatePaths(Path.Combine(state.Path, "state"));
        paths.EnsureExists();
        File.WriteAllText(paths.GrpcSocket, "a dead daemon's leftover");

        await using var daemon = await RunningDaemon.StartAsync(o => (o.StateDirectory, o.GrpcUnixSocket) = (paths.StateDirectory, true));
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);
        await connection.Client.GetInfoAsync();

        Assert.Equal("unix", connection.Connector.Last);
    }

    [Fact]
    public async Task A_state_folder_open_to_others_gets_no_socket()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var state = new TempDirectory("ebs");
        var folder = Path.Combine(state.Path, "state");
        Directory.CreateDirectory(folder, OwnerReadWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using var daemon = await RunningDaemon.StartAsync(o => (o.StateDirectory, o.GrpcUnixSocket) = (folder, true));
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);
        await connection.Client.GetInfoAsync();

        Assert.Null(daemon.Host.GrpcSocketPath);
        Assert.False(File.Exists(Path.Combine(folder, "grpc.sock")));
        Assert.Equal("tcp", connection.Connector.Last);
    }
}
