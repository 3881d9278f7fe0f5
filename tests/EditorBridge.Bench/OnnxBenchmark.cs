using System.Diagnostics;
using EditorBridge.Engines;
using EditorBridge.Engines.Onnx;
using EditorBridge.Inference;
using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels;
using EditorBridge.TinyModels.ImageModels;
using Microsoft.ML.OnnxRuntime;
using static Onnx.TensorProto.Types;

namespace EditorBridge.Bench;

/// <summary>
/// `-- onnx [overhead|memory]`: the onnx engine's pre/post-processing beyond the model's own
/// InferenceSession.Run time, and peak memory of a tiled ×4 upscale of a 4096² layer against the
/// whole image in one piece (each in its own child process, peak RSS from the kernel).
/// </summary>
internal static class OnnxBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        if (args is ["memory-child", var mode, var side])
        {
            await MemoryChildAsync(mode, int.Parse(side, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        Console.WriteLine($"EditorBridge onnx bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (args.Length == 0 || args.Contains("overhead"))
            await OverheadAsync();
        if (args.Length == 0 || args.Contains("memory"))
            Memory();
    }

    private static async Task OverheadAsync()
    {
        Console.WriteLine("\n## onnx engine time beyond InferenceSession.Run (×4 upscale of a 512² photo, 128² tiles, overlap 16)");
        Console.WriteLine("| model | tiles | engine ms | Session.Run ms | overhead |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var picture = TestPictures.Load("astronaut.png").Crop(0, 0, 512, 512);
        foreach (var (name, graph) in new[] { ("tiny (1 conv)", TinyEsrgan.Graph()), ("mid (4 convs, 32 ch)", MidWeightUpscaler()) })
        {
            using var store = new TempDirectory("bench-models");
            var folder = Path.Combine(store.Path, "upscaler");
            var manifest = TinyModelFolder.Write(folder, "upscaler", ModelKind.Upscale, "restore", graph, TinyEsrgan.Signature(128, 16), name);
            using var engine = new OnnxEngine();
            engine.Configure(new EngineEnvironment(store.Path, ["cpu"], TimeSpan.FromMinutes(5)));
            engine.Describe();
            var request = new EngineRequest("restore", new EngineImage(512, 512, picture.Rgba), null, new Dictionary<string, object> { ["scale"] = 4.0 }, 1, "", "");
            var engineMs = await Measure.MedianMsAsync(3, () => engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None));
            var (runMs, tiles) = await RawRunMsAsync(Path.Combine(folder, manifest.Signature!.File), picture, manifest.Signature);
            Console.WriteLine($"| {name} | {tiles} | {engineMs:0} | {runMs:0} | {(engineMs - runMs) / runMs * 100:0} % |");
        }

        var cached = new PlanarImage(512, 512, "rgb", new float[512 * 512 * 3]);
        var pipelineMs = await Measure.MedianMsAsync(3, () => TiledRun.RunAsync(picture.Rgba, 512, 512, new TileSettings(128, 16, 4), (tile, _) => Task.FromResult(cached), null, CancellationToken.None));
        Console.WriteLine($"(of which tiling, blending and writing the 2048² answer without any model: {pipelineMs:0} ms)");
    }

    /// <summary>Session.Run alone over the same tiles, their input tensors made before the clock starts.</summary>
    private static async Task<(double Ms, int Tiles)> RawRunMsAsync(string path, RgbaPicture picture, ModelSignature signature)
    {
        var tiles = new List<TileInput>();
        var settings = new TileSettings(signature.Tile, signature.TileOverlap, signature.Scale);
        await TiledRun.RunAsync(picture.Rgba, picture.Width, picture.Height, settings, (tile, _) =>
        {
            tiles.Add(tile);
            return Task.FromResult(new PlanarImage(tile.Width * 4, tile.Height * 4, "rgb", new float[tile.Width * tile.Height * 48]));
        }, null, CancellationToken.None);
        using var opened = SessionOpener.Open(path, [ExecutionProvider.Cpu]);
        var session = opened.Session;
        var input = signature.Inputs[0];
        double RunAll()
        {
            var values = tiles.Select(t => ImageTensors.FromRgba(t.Rgba, t.Width, t.Height, input)).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var value in values)
            {
                using var options = new RunOptions();
                using var results = session.Run(options, [input.Name], [value], [signature.Outputs[0].Name]);
            }

            var ms = clock.Elapsed.TotalMilliseconds;
            values.ForEach(v => v.Dispose());
            return ms;
        }

        RunAll();
        var times = Enumerable.Range(0, 3).Select(_ => RunAll()).Order().ToList();
        return (times[1], tiles.Count);
    }

    private static void Memory()
    {
        Console.WriteLine("\n## Peak memory (RSS) of a ×4 upscale of a 4096² layer: tiled (512² tiles, overlap 16) vs whole image in one Session.Run");
        Console.WriteLine("| run | layer | answer | peak RSS MiB | wall s |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var baseline = Child("baseline", 4096);
        Console.WriteLine($"| process with the 4096² layer loaded, no model run | 4096² | — | {baseline.PeakMiB} | {baseline.Seconds:0.0} |");
        foreach (var side in new[] { 4096, 2048 })
        {
            var tiled = Child("tiled", side);
            Console.WriteLine($"| tiled | {side}² | {side * 4}² | {Peak(tiled)} | {tiled.Seconds:0.0} |");
            long availableMiB = AvailableMiB();
            if (availableMiB < side / 4096.0 * side / 4096.0 * 16 * 1024)
            {
                Console.WriteLine($"| whole | {side}² | {side * 4}² | not run: {availableMiB} MiB available | — |");
                continue;
            }

            var whole = Child("whole", side);
            Console.WriteLine($"| whole | {side}² | {side * 4}² | {Peak(whole)} | {whole.Seconds:0.0} |");
        }
    }

    private static string Peak((long PeakMiB, double Seconds, string Error) run) =>
        run.PeakMiB > 0 ? run.PeakMiB.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"failed: {run.Error}";

    private static (long PeakMiB, double Seconds, string Error) Child(string mode, int side)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EditorBridge.Bench.dll"), "onnx", "memory-child", mode, side.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("peak_kib=", StringComparison.Ordinal));
        if (output.Split('\n').FirstOrDefault(l => l.StartsWith("failed_after_run=", StringComparison.Ordinal)) is { } failed)
            return (0, clock.Elapsed.TotalSeconds, failed["failed_after_run=".Length..].Trim());
        return line is null
            ? (0, clock.Elapsed.TotalSeconds, $"exit {process.ExitCode}: {string.Join(" ", error.Split('\n').Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Take(2)).Trim()}")
            : (long.Parse(line["peak_kib=".Length..], System.Globalization.CultureInfo.InvariantCulture) / 1024, clock.Elapsed.TotalSeconds, "");
    }

    private static async Task MemoryChildAsync(string mode, int side)
    {
        var rgba = new byte[side * side * 4];
        new Random(side).NextBytes(rgba);
        if (mode == "tiled")
        {
            using var store = new TempDirectory("bench-models");
            TinyEsrgan.Write(Path.Combine(store.Path, "upscaler"), "upscaler", 512, 16);
            using var engine = new OnnxEngine();
            engine.Configure(new EngineEnvironment(store.Path, ["cpu"], TimeSpan.FromMinutes(5)));
            engine.Describe();
            var request = new EngineRequest("restore", new EngineImage(side, side, rgba), null, new Dictionary<string, object> { ["scale"] = 4.0 }, 1, "", "");
            var output = await engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None);
            GC.KeepAlive(output);
        }
        else if (mode == "whole")
        {
            // the same pre- and post-processing in one piece (the engine itself tiles an answer this large)
            using var temp = new TempDirectory("bench-models");
            var path = Path.Combine(temp.Path, "upscaler.onnx");
            TinyEsrgan.Graph().Save(path);
            using var opened = SessionOpener.Open(path, [ExecutionProvider.Cpu]);
            var session = opened.Session;
            var signature = TinyEsrgan.Signature();
            using var results = ModelCall.Run(session, [(signature.Inputs[0].Name, ImageTensors.FromRgba(rgba, side, side, signature.Inputs[0]))], [signature.Outputs[0].Name], CancellationToken.None);
            try
            {
                var answer = ImageTensors.ToRgba(ImageTensors.ToPlanar(results.First(), signature.Outputs[0]), PlaneResize.Bytes(ImageTensors.Alpha(rgba), side, side, side * 4, side * 4));
                GC.KeepAlive(answer);
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.WriteLine($"failed_after_run=Session.Run finished (peak {PeakKiB() / 1024} MiB), reading its {results.First().GetTensorTypeAndShape().ElementCount * 4L >> 20} MiB answer failed: {e.GetType().Name}");
                return;
            }
        }

        Console.WriteLine($"peak_kib={PeakKiB()}");
    }

    private static long PeakKiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64 / 1024 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long AvailableMiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>An upscaler with more work per pixel than the tiny one: 3→32→32→32→48 channels of 3×3 convolutions, ReLU between, then DepthToSpace.</summary>
    private static TinyGraph MidWeightUpscaler()
    {
        var random = new Random(3);
        float[] Weights(int output, int input) => Enumerable.Range(0, output * input * 9).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray();
        var pads = new long[] { 1, 1, 1, 1 };
        return new TinyGraph("mid-upscaler")
            .Input("input", DataType.Float, 1, 3, "height", "width")
            .Output("output", DataType.Float, 1, 3, "height4", "width4")
            .Weight("w1", Weights(32, 3), 32, 3, 3, 3)
            .Weight("w2", Weights(32, 32), 32, 32, 3, 3)
            .Weight("w3", Weights(32, 32), 32, 32, 3, 3)
            .Weight("w4", Weights(48, 32), 48, 32, 3, 3)
            .Node("Conv", ["input", "w1"], ["c1"], ("pads", pads))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "w2"], ["c2"], ("pads", pads))
            .Node("Relu", ["c2"], ["r2"])
            .Node("Conv", ["r2", "w3"], ["c3"], ("pads", pads))
            .Node("Relu", ["c3"], ["r3"])
            .Node("Conv", ["r3", "w4"], ["c4"], ("pads", pads))
            .Node("DepthToSpace", ["c4"], ["output"], ("blocksize", 4L), ("mode", "DCR"));
    }
}
