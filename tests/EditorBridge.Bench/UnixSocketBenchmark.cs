using System.Diagnostics;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;

namespace EditorBridge.Bench;

/// <summary>
/// gRPC `bytes` round trips of an RGBA8 layer through a no-op job, over TCP loopback and over the
/// daemon's Unix-domain socket (grpc.sock), interleaved in one run (the order alternating each
/// round), with a raw loopback socket echo as the floor. `-- uds [--repeats N]`.
/// </summary>
internal static class UnixSocketBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        int repeats = args is ["--repeats", var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"\n## gRPC bytes round trip (no-op job): TCP loopback vs the Unix socket; {repeats} interleaved rounds after a warm-up, {Environment.ProcessorCount} cores");
        await using var daemon = await RunningDaemon.StartAsync(o => o.GrpcUnixSocket = true, [TestEngines.Echo()]);
        await using var echo = await LoopbackEcho.StartAsync();
        using var tcp = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths, ByteTransport.Tcp);
        using var unix = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths, ByteTransport.Auto);
        Console.WriteLine("| side | raw TCP echo min / median | gRPC TCP min / median | gRPC Unix socket min / median | Unix / TCP (median) |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var side in new[] { 1024, 4096 })
        {
            var bytes = new byte[side * side * 4];
            new Random(side).NextBytes(bytes);
            var back = new byte[bytes.Length];
            var request = new JobRequest
            {
                Operation = "noop",
                Layer = new Image { Width = side, Height = side, Format = PixelFormat.Rgba8, Data = UnsafeByteOperations.UnsafeWrap(bytes) },
            };
            var (raw, overTcp, overUnix) = (new List<double>(), new List<double>(), new List<double>());
            for (int round = 0; round <= repeats; round++)
            {
                bool warm = round > 0;
                var order = round % 2 == 0 ? new[] { tcp, unix } : [unix, tcp];
                foreach (var connection in order)
                {
                    double ms = await TimeAsync(async () =>
                    {
                        var result = await connection.Client.RunJobAsync(request);
                        if (!result.Layer.Data.Span.SequenceEqual(bytes))
                            throw new InvalidDataException("the round trip changed the bytes");
                    });
                    if (warm)
                        (connection == tcp ? overTcp : overUnix).Add(ms);
                }

                double echoMs = await TimeAsync(() => echo.RoundTripAsync(bytes, back));
                if (warm)
                    raw.Add(echoMs);
            }

            if (tcp.Connector.Last != "tcp" || unix.Connector.Last != "unix")
                throw new InvalidOperationException($"transports not as asked: {tcp.Connector.Last}, {unix.Connector.Last}");
            Console.WriteLine($"| {side}² | {Min(raw):0.0} / {Median(raw):0.0} ms | {Min(overTcp):0.0} / {Median(overTcp):0.0} ms | {Min(overUnix):0.0} / {Median(overUnix):0.0} ms | {Median(overUnix) / Median(overTcp):0.00}× |");
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Min(List<double> values) => values.Min();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
