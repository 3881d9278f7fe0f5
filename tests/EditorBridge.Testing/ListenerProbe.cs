using System.Diagnostics;
using System.Net.Sockets;

namespace EditorBridge.Testing;

/// <summary>Waits for a server process the tests started to accept TCP connections.</summary>
public static class ListenerProbe
{
    /// <summary>
    /// True once <paramref name="address"/>:<paramref name="port"/> accepts a connection; false when
    /// <paramref name="process"/> exits first or a minute passes (a hang guard, not a timing).
    /// </summary>
    public static async Task<bool> WaitAsync(Process process, string address, int port)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(address, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }
}
