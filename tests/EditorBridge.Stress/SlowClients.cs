using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EditorBridge.Stress;

/// <summary>
/// Slow-loris: many connections that send their headers, or their body, a byte at a time. While
/// they hang on, other clients must still be served quickly; a slow body must be refused within
/// Kestrel's minimum data rate (240 bytes/s after a 5 s grace); slow headers are dropped after
/// Kestrel's request-headers timeout (30 s), which only the long run waits for.
/// </summary>
public static class SlowClients
{
    public sealed record Figures(int SlowHeaders, int SlowBodies, TimeSpan WorstGetInfo, TimeSpan WorstJsonInfo, int Served, int BodiesRefused, TimeSpan SlowestBodyRefusal, string BodyAnswer, int HeadersDropped, TimeSpan SlowestHeadersDrop);

    public static async Task<Figures> RunAsync(DaemonProcess daemon, int slowHeaders, int slowBodies, TimeSpan hold, bool waitForHeaderTimeout, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var headerTasks = Enumerable.Range(0, slowHeaders).Select(_ => SlowHeadersAsync(daemon, clock, stop.Token)).ToList();
        var bodyTasks = Enumerable.Range(0, slowBodies).Select(_ => SlowBodyAsync(daemon, clock, stop.Token)).ToList();

        // meanwhile, other clients
        TimeSpan worstGrpc = TimeSpan.Zero, worstJson = TimeSpan.Zero;
        int served = 0;
        var until = DateTime.UtcNow + hold;
        while (DateTime.UtcNow < until)
        {
            var t = Stopwatch.StartNew();
            await daemon.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
            worstGrpc = Max(worstGrpc, t.Elapsed);
            t.Restart();
            (await daemon.Http.GetAsync("/v1/info", cancellationToken)).EnsureSuccessStatusCode();
            worstJson = Max(worstJson, t.Elapsed);
            served += 2;
            await Task.Delay(100, cancellationToken);
        }

        var bodies = await Task.WhenAll(bodyTasks.Select(b => b.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken)));
        (TimeSpan When, bool Dropped)[] headers;
        if (waitForHeaderTimeout)
        {
            headers = await Task.WhenAll(headerTasks.Select(h => h.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken)));
        }
        else
        {
            await stop.CancelAsync();
            headers = await Task.WhenAll(headerTasks);
        }

        var refused = bodies.Where(b => b.Answer is not null).ToList();
        return new Figures(slowHeaders, slowBodies, worstGrpc, worstJson, served, refused.Count,
            refused.Count == 0 ? TimeSpan.Zero : refused.Max(b => b.When), refused.FirstOrDefault().Answer ?? "",
            headers.Count(h => h.Dropped), headers.Where(h => h.Dropped).Select(h => h.When).DefaultIfEmpty().Max());
    }

    /// <summary>Request headers, one byte a second, forever; returns when (after the start) the daemon dropped the connection.</summary>
    private static async Task<(TimeSpan When, bool Dropped)> SlowHeadersAsync(DaemonProcess daemon, Stopwatch clock, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, daemon.Discovery.HttpPort, stop);
        var bytes = Encoding.ASCII.GetBytes($"GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {daemon.Token}\r\nX-Slow: " + new string('a', 10_000));
        try
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                await socket.SendAsync(bytes.AsMemory(i, 1), stop);
                // the daemon closing shows as a read of 0 bytes
                var poll = Task.Delay(1000, stop);
                var read = socket.ReceiveAsync(new byte[256], stop).AsTask();
                if (await Task.WhenAny(poll, read) == read && (await read) == 0)
                    return (clock.Elapsed, true);
                if (read.IsCompleted)
                    return (clock.Elapsed, true); // it answered (408) and will close
                await poll;
                _ = read.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            return (clock.Elapsed, !stop.IsCancellationRequested);
        }

        return (clock.Elapsed, false);
    }

    /// <summary>A PutBlob announcing 100 KB and sending a byte a second; returns the daemon's answer and when it came.</summary>
    private static async Task<(TimeSpan When, string? Answer)> SlowBodyAsync(DaemonProcess daemon, Stopwatch clock, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, daemon.Discovery.HttpPort, stop);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(RawHttp.Head("POST", "/v1/blobs", [("Host", "127.0.0.1"), ("Authorization", "Bearer " + daemon.Token), ("Content-Type", "application/octet-stream"), ("Content-Length", "100000")]), stop);
        var answer = RawHttp.ReadAnswerAsync(stream, CancellationToken.None);
        try
        {
            for (int i = 0; i < 100_000 && !answer.IsCompleted; i++)
            {
                await stream.WriteAsync(new byte[] { 1 }, stop);
                await Task.WhenAny(answer, Task.Delay(1000, stop));
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // the daemon closed the connection; its answer (if any) is read below
        }

        var a = await answer.WaitAsync(TimeSpan.FromSeconds(30), stop);
        return (clock.Elapsed, a.Status == 0 ? null : $"{a.Status} {Observed.Shorten(Encoding.UTF8.GetString(a.Body), 160)}");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
