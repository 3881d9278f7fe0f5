using System.Diagnostics;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress;
using EditorBridge.Stress.Faults;
using EditorBridge.Testing;
using Google.Protobuf;

namespace EditorBridge.Bench;

/// <summary>
/// `-- pixels [ROUNDS]`: a layer's round trip through a no-op job (the fault engine's echo, in a
/// daemon child process) by every pixel path, beside a raw loopback socket echo and memcpy of the
/// same bytes (the floor: there and back, two copies), interleaved round by round, min and median
/// of ROUNDS (default 5) after a warm-up round; then the daemon's peak RSS during one 4096² job by
/// path, the layer-sized copies each path makes (bytes allocated per round trip in one process), and
/// the shared-memory round trip's stages alone (<see cref="PixelStageBenchmark"/>). `pixels N quick`:
/// 4096² RGBA8 only, shared-memory paths beside the baselines (`pixels N quick rgba16`: 4096² RGBA16
/// instead); `pixels N stages`: the stages only.
/// `grpc-shm-into` is <c>RunJobIntoAsync</c> with a result buffer the caller keeps. The JSON paths are
/// the Python client (python/json_client.py, with the Krita plugin's own region modules):
/// `json-shm` is the plugin's path (the connection's kept region, the result as a view of the
/// mapping), `json-shm-copy` the same plus a copy of the result into a new bytes, `json-shm-job`
/// the plugin's previous path (a region per job, the result copied out).
/// </summary>
internal static class PixelPathBenchmark
{
    private static readonly string[] Paths = ["memcpy", "socket", "grpc-bytes", "grpc-shm", "grpc-shm-into", "json-bytes", "json-shm", "json-shm-copy", "json-shm-job"];

    // The daemon's own time (Timings.total_ms) of the gRPC shm jobs of the current layer.
    private static readonly List<double> JobTimes = [];

    public static async Task RunAsync(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        if (args.Contains("stages"))
        {
            using var folder = new TempDirectory("benchstage");
            PixelStageBenchmark.Run(rounds, folder.Path);
            return;
        }

        Console.WriteLine($"\n## Pixel paths: round trip of a layer through a no-op job, min / median of {rounds} interleaved rounds (ms)");
        using var state = new TempDirectory("benchpx");
        await using var daemon = await DaemonProcess.StartAsync(state.Path);
        using var bytesOnly = DaemonConnection.Open(daemon.Discovery, daemon.Token, daemon.Paths, sharedMemory: false);
        await using var echo = await LoopbackEcho.StartAsync();
        using var python = PythonJsonClient.Start(daemon.Discovery.HttpPort, daemon.Token);
        // `quick`: 4096² RGBA8 (`quick rgba16`: RGBA16) only, without the byte paths and the Python client
        bool quick = args.Contains("quick");
        var paths = quick ? Paths.Where(p => p is "memcpy" or "socket" or "grpc-shm" or "grpc-shm-into" or "json-shm" or "json-shm-copy").ToArray() : Paths;
        string[] ratios = ["grpc-shm", "grpc-shm-into", "json-shm", "json-shm-copy"];
        Console.WriteLine("| layer | " + string.Join(" | ", paths) + " | gRPC shm: in the job | " + string.Join(" | ", ratios.Select(r => $"{r} ÷ socket | {r} ÷ memcpy")) + " |");
        Console.WriteLine("|" + string.Concat(Enumerable.Repeat(" --- |", paths.Length + 2 + 2 * ratios.Length)));
        foreach (var side in quick ? new[] { 4096 } : new[] { 1024, 4096 })
        {
            foreach (var bpp in quick ? [args.Contains("rgba16") ? 8 : 4] : new[] { 4, 8 })
            {
                var layer = new byte[side * side * bpp];
                new Random(side + bpp).NextBytes(layer);
                var back = new byte[layer.Length];
                var scratch = new byte[layer.Length];
                var request = Echo(side, bpp, layer);
                var times = paths.ToDictionary(p => p, _ => new List<double>());
                JobTimes.Clear();
                for (int round = -1; round < rounds; round++)
                {
                    foreach (var path in paths)
                    {
                        var ms = await OnceAsync(path, side, bpp, layer, back, scratch, request, daemon.Client, bytesOnly.Client, echo, python);
                        if (round >= 0)
                            times[path].Add(ms);
                    }
                }

                var cells = paths.Select(p => $"{times[p].Min():0.0} / {Median(times[p]):0.0}");
                Console.WriteLine($"| {side}² {(bpp == 4 ? "RGBA8" : "RGBA16")} ({layer.Length >> 20} MiB) | {string.Join(" | ", cells)} | {JobTimes.Min():0.0} / {Median(JobTimes):0.0} | "
                    + string.Join(" | ", ratios.Select(r => $"{Ratio(times[r], times["socket"])} | {Ratio(times[r], times["memcpy"])}")) + " |");
            }
        }

        if (quick)
            return;
        Console.WriteLine($"\n### Where the Python JSON client's 4096² RGBA8 shared-memory round trip goes (the Krita plugin's modules): stages, min / median ms of {rounds} (minor page faults of the Python process, median)");
        Console.WriteLine("| stage | ms | faults |\n| --- | --- | --- |");
        python.Stages(4096, 4, rounds);
        await PeakMemoryAsync();
        await CopiesAsync();
        PixelStageBenchmark.Run(rounds, state.Path);
    }

    private static async Task<double> OnceAsync(string path, int side, int bpp, byte[] layer, byte[] back, byte[] scratch, JobRequest request,
        EditorBridgeClient shared, EditorBridgeClient bytes, LoopbackEcho echo, PythonJsonClient python)
    {
        var clock = Stopwatch.StartNew();
        switch (path)
        {
            case "memcpy":
                Buffer.BlockCopy(layer, 0, scratch, 0, layer.Length);
                Buffer.BlockCopy(scratch, 0, back, 0, layer.Length);
                break;
            case "socket":
                await echo.RoundTripAsync(layer, back);
                break;
            case "grpc-bytes":
                Check(await bytes.RunJobAsync(request), layer, "bytes");
                break;
            case "grpc-shm":
                var result = await shared.RunJobAsync(request);
                var ms = clock.Elapsed.TotalMilliseconds;
                Check(result, layer, "shared-memory");
                JobTimes.Add(result.Provenance.Timings.TotalMs);
                return ms;
            case "grpc-shm-into":
                var into = await shared.RunJobIntoAsync(request, back);
                var intoMs = clock.Elapsed.TotalMilliseconds;
                Check(into, layer, "shared-memory");
                if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(into.Layer.Data.Memory, out var segment) || segment.Array != back || !back.AsSpan().SequenceEqual(layer))
                    throw new InvalidDataException("the result did not come into the caller's buffer unchanged");
                return intoMs;
            default:
                return python.RoundTrip(path == "json-bytes" ? "bytes" : path["json-".Length..], side, bpp);
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    // Peak resident memory of a fresh daemon during one 4096² job by path: warmed up on a small job,
    // VmHWM reset (/proc/PID/clear_refs), one job, VmHWM read.
    private static async Task PeakMemoryAsync()
    {
        Console.WriteLine("\n### Daemon peak RSS during one 4096² job by path (MiB over the warmed-up daemon's RSS before it; a fresh daemon each)");
        Console.WriteLine("| layer | RSS before | gRPC bytes | gRPC shm | JSON bytes | JSON shm |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var bpp in new[] { 4, 8 })
        {
            var layer = new byte[4096 * 4096 * bpp];
            new Random(bpp).NextBytes(layer);
            var request = Echo(4096, bpp, layer);
            var cells = new List<string>();
            var before = new List<double>();
            foreach (var path in new[] { "grpc-bytes", "grpc-shm", "json-bytes", "json-shm" })
            {
                using var state = new TempDirectory("benchrss");
                await using var daemon = await DaemonProcess.StartAsync(state.Path);
                using var bytes = DaemonConnection.Open(daemon.Discovery, daemon.Token, daemon.Paths, sharedMemory: false);
                using var python = PythonJsonClient.Start(daemon.Discovery.HttpPort, daemon.Token);
                var small = new byte[256 * 256 * bpp];
                await OnceAsync(path, 256, bpp, small, small, small, Echo(256, bpp, small), daemon.Client, bytes.Client, null!, python);
                await Task.Delay(6000); // the daemon trims itself after 5 s idle
                long idle = daemon.ResidentBytes();
                File.WriteAllText($"/proc/{daemon.Pid}/clear_refs", "5");
                await OnceAsync(path, 4096, bpp, layer, layer, layer, request, daemon.Client, bytes.Client, null!, python);
                before.Add(idle / 1048576.0);
                cells.Add($"+{(daemon.PeakResidentBytes() - idle) / 1048576.0:0}");
            }

            Console.WriteLine($"| 4096² {(bpp == 4 ? "RGBA8" : "RGBA16")} ({layer.Length >> 20} MiB) | {before.Min():0}–{before.Max():0} | {string.Join(" | ", cells)} |");
        }
    }

    // Layer-sized copies: bytes allocated (client and daemon in this one process) per gRPC round trip, in layers.
    private static async Task CopiesAsync()
    {
        Console.WriteLine("\n### Copies: managed bytes allocated per 4096² RGBA8 round trip (client + daemon in one process), in layers");
        await using var daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Echo()]);
        var layer = new byte[4096 * 4096 * 4];
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = 4096, Height = 4096, Format = PixelFormat.Rgba8, Data = UnsafeByteOperations.UnsafeWrap(layer) } };
        foreach (var shared in new[] { false, true })
        {
            daemon.Client.SharedMemory = shared;
            await daemon.Client.RunJobAsync(request);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var result = await daemon.Client.RunJobAsync(request);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine($"- gRPC {(shared ? "shm" : "bytes")} ({result.Provenance.Timings.PixelsIn}): {allocated / (double)layer.Length:0.00} layers");
        }
    }

    private static JobRequest Echo(int side, int bpp, byte[] layer) => new()
    {
        Operation = FaultOperations.Echo,
        Layer = new Image { Width = side, Height = side, Format = bpp == 4 ? PixelFormat.Rgba8 : PixelFormat.Rgba16, Data = UnsafeByteOperations.UnsafeWrap(layer) },
    };

    private static void Check(JobResult result, byte[] layer, string expected)
    {
        if (result.Layer.Data.Length != layer.Length || result.Provenance.Timings.PixelsIn != expected)
            throw new InvalidDataException($"round trip: {result.Layer.Data.Length} bytes by {result.Provenance.Timings.PixelsIn}, expected {layer.Length} by {expected}");
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Ratio(List<double> a, List<double> b) => $"{a.Min() / b.Min():0.00}× / {Median(a) / Median(b):0.00}×";
}
