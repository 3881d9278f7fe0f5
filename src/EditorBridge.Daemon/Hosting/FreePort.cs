using System.Net;
using System.Net.Sockets;

namespace EditorBridge.Daemon.Hosting;

/// <summary>Picks a free loopback port when none is configured.</summary>
public static class FreePort
{
    public static int OrGiven(int port) => port > 0 ? port : Pick();

    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
