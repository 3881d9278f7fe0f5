using System.Net;
using System.Net.Sockets;

namespace EditorBridge.Client;

/// <summary>How a connection's gRPC calls reach the local daemon.</summary>
public enum ByteTransport
{
    /// <summary>The Unix-domain socket in the state folder when it is there and answers, else TCP loopback.</summary>
    Auto,

    /// <summary>TCP loopback only (the discovery file's port).</summary>
    Tcp,
}

/// <summary>
/// Opens the connections of a <see cref="DaemonConnection"/>'s HTTP/2 handler: the daemon's Unix
/// socket (<c>grpc.sock</c> in the state folder, see the daemon's GrpcUnixSocket) when asked for and
/// present, falling back to the TCP address of the request when it is absent or refuses (a
/// leftover of a dead daemon, an older daemon without it, Windows). <see cref="Last"/> says which
/// one the latest connection used.
/// </summary>
public sealed class LocalSocketConnector(string? socketPath, ByteTransport transport)
{
    /// <summary>"unix" or "tcp": what the latest connection went through; null before the first.</summary>
    public string? Last { get; private set; }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (transport == ByteTransport.Auto && socketPath is not null && !OperatingSystem.IsWindows() && File.Exists(socketPath))
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                Last = "unix";
                return new NetworkStream(unix, ownsSocket: true);
            }
            catch (SocketException)
            {
                unix.Dispose(); // nobody listens there (a leftover): the TCP port then
            }
        }

        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
            Last = "tcp";
            return new NetworkStream(tcp, ownsSocket: true);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
