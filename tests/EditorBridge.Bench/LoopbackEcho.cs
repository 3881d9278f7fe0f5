using System.Net;
using System.Net.Sockets;

namespace EditorBridge.Bench;

/// <summary>The baseline for transport: the same bytes sent to a loopback socket and read back.</summary>
internal sealed class LoopbackEcho : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Task server;
    private readonly TcpClient client = new() { NoDelay = true };
    private NetworkStream stream = null!;

    private LoopbackEcho()
    {
        listener.Start();
        server = ServeAsync();
    }

    public static async Task<LoopbackEcho> StartAsync()
    {
        var echo = new LoopbackEcho();
        await echo.client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)echo.listener.LocalEndpoint).Port);
        echo.stream = echo.client.GetStream();
        return echo;
    }

    public async Task RoundTripAsync(byte[] data, byte[] into)
    {
        await stream.WriteAsync(BitConverter.GetBytes(data.Length));
        await stream.WriteAsync(data);
        await stream.ReadExactlyAsync(into);
    }

    private async Task ServeAsync()
    {
        using var peer = await listener.AcceptTcpClientAsync();
        peer.NoDelay = true;
        var s = peer.GetStream();
        var header = new byte[4];
        byte[] buffer = [];
        while (true)
        {
            try
            {
                await s.ReadExactlyAsync(header);
            }
            catch (EndOfStreamException)
            {
                return;
            }

            int length = BitConverter.ToInt32(header);
            if (buffer.Length != length)
                buffer = new byte[length];
            await s.ReadExactlyAsync(buffer);
            await s.WriteAsync(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        listener.Stop();
        try
        {
            await server;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // the client went away: that is how the echo ends
        }
    }
}
