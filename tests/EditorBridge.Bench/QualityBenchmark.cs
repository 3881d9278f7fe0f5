using System.Diagnostics;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OpenCvSharp;

namespace EditorBridge.Bench;

/// <summary>
/// <c>dotnet run -c Release --project tests/EditorBridge.Bench -- quality</c>: the classic engine's
/// quality on the real pictures of tests/data against OpenCV baselines computed in the same run,
/// and its speed on a 1024² picture as a ratio to OpenCV. Every operation goes through the real
/// daemon (gRPC, work-area geometry, blending); OpenCV is called directly. PSNR and SSIM are
/// <see cref="QualityMetrics"/> (scikit-image's definitions). Damage is seeded: every run measures
/// the same pictures.
/// </summary>
internal static partial class QualityBenchmark
{
    private const int Side = 256;

    private static readonly string[] Photos =
        ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "camera.png", "brick.png", "grass.png", "ihc.png"];

    public static async Task RunAsync(string[] only)
    {
        Console.WriteLine($"EditorBridge quality benchmark — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"pictures: centre {Side}² crops of {string.Join(", ", Photos)} (tests/data/photos)");
        await using var daemon = await RunningDaemon.StartAsync(o => o.Limits.JobTimeoutSeconds = 0);
        var pictures = Photos.Select(name => Centre(TestPictures.Load(name), Side)).ToArray();
        bool all = only.Length == 0;
        if (all || only.Contains("fill"))
            await FillBenchmark.QualityAsync(daemon, pictures);
        if (only.Contains("filltune"))
            await FillBenchmark.QualityAsync(daemon, pictures, heldOut: false);
        if (all || only.Contains("denoise"))
            await DenoiseAsync(daemon, pictures);
        if (all || only.Contains("deblur"))
            await DeblurAsync(daemon, pictures);
        if (all || only.Contains("upscale"))
            await UpscaleAsync(daemon, pictures);
        if (all || only.Contains("colorize"))
            await ColorizeAsync(daemon, pictures);
        if (all || only.Contains("time"))
            await TimeAsync(daemon);
        if (all || only.Contains("fill") || only.Contains("filltime"))
            await FillBenchmark.TimeAsync(daemon);
    }

    // ---------------------------------------------------------------------------------------
    // fill: FillBenchmark

    internal static byte[] OpenCvInpaint(RgbaPicture picture, byte[] hole, InpaintTypes method)
    {
        using var bgr = Bgr(picture);
        using var mask = Mat.FromPixelData(picture.Height, picture.Width, MatType.CV_8UC1, hole);
        using var filled = new Mat();
        Cv2.Inpaint(bgr, mask, filled, 5, method);
        return Rgba(filled);
    }

    // ---------------------------------------------------------------------------------------
    // restore

    private static async Task DenoiseAsync(RunningDaemon daemon, RgbaPicture[] pictures)
    {
        Console.WriteLine("\n## denoise: Gaussian noise, PSNR / SSIM against the clean picture, mean over the pictures");
        Console.WriteLine("| σ | noisy | OpenCV NLM (h = hColor = 10, OpenCV's tutorial values) | OpenCV NLM (h = hColor = 0.6σ, true σ, best factor for these pictures) | ours (σ measured) |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (double sigma in new[] { 15.0, 25.0 })
        {
            var sums = new Dictionary<string, (double Psnr, double Ssim)>();
            for (int i = 0; i < pictures.Length; i++)
            {
                var clean = pictures[i];
                var noisy = clean.WithNoise(sigma, seed: 100 + i);
                Add(sums, "noisy", Score(clean, noisy.Rgba, null));
                Add(sums, "cv10", Score(clean, OpenCvNlm(noisy, 10), null));
                Add(sums, "cv", Score(clean, OpenCvNlm(noisy, 0.6 * sigma), null));
                var (ours, _) = await RunAsync(daemon, "restore", noisy, null, new() { ["method"] = Value.ForString("denoise") });
                Add(sums, "ours", Score(clean, ours, null));
            }

            int n = pictures.Length;
            Console.WriteLine($"| {sigma} | {Cell(sums["noisy"], n)} | {Cell(sums["cv10"], n)} | {Cell(sums["cv"], n)} | {Cell(sums["ours"], n)} |");
        }
    }

    private static byte[] OpenCvNlm(RgbaPicture noisy, double h)
    {
        using var bgr = Bgr(noisy);
        using var denoised = new Mat();
        Cv2.FastNlMeansDenoisingColored(bgr, denoised, (float)h, (float)h, 7, 21);
        return Rgba(denoised);
    }

    private static async Task DeblurAsync(RunningDaemon daemon, RgbaPicture[] pictures)
    {
        Console.WriteLine("\n## deblur: Gaussian blur, PSNR / SSIM against the sharp picture, mean over the pictures");
        Console.WriteLine("| blur σ | blurred | OpenCV unsharp mask (amount 1, same σ) | ours, σ measured | gain (measured σ) | ours, σ given | gain (given σ) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (double sigma in new[] { 1.5, 3.0 })
        {
            var sums = new Dictionary<string, (double Psnr, double Ssim)>();
            for (int i = 0; i < pictures.Length; i++)
            {
                var sharp = pictures[i];
                var blurred = Blur(sharp, sigma);
                Add(sums, "blurred", Score(sharp, blurred.Rgba, null));
                Add(sums, "unsharp", Score(sharp, Unsharp(blurred, sigma), null));
                var (measured, _) = await RunAsync(daemon, "restore", blurred, null, new() { ["method"] = Value.ForString("deblur") });
                Add(sums, "measured", Score(sharp, measured, null));
                var (given, _) = await RunAsync(daemon, "restore", blurred, null, new() { ["method"] = Value.ForString("deblur"), ["blur_sigma"] = Value.ForNumber(sigma) });
                Add(sums, "given", Score(sharp, given, null));
            }

            int n = pictures.Length;
            double baseline = sums["blurred"].Psnr / n;
            Console.WriteLine($"| {sigma} | {Cell(sums["blurred"], n)} | {Cell(sums["unsharp"], n)} | {Cell(sums["measured"], n)} | {sums["measured"].Psnr / n - baseline:+0.00;-0.00} dB | {Cell(sums["given"], n)} | {sums["given"].Psnr / n - baseline:+0.00;-0.00} dB |");
        }
    }

    private static byte[] Unsharp(RgbaPicture picture, double sigma)
    {
        using var bgr = Bgr(picture);
        using var soft = new Mat();
        Cv2.GaussianBlur(bgr, soft, new Size(0, 0), sigma);
        using var sharpened = new Mat();
        Cv2.AddWeighted(bgr, 2, soft, -1, 0, sharpened);
        return Rgba(sharpened);
    }

    private static async Task UpscaleAsync(RunningDaemon daemon, RgbaPicture[] pictures)
    {
        Console.WriteLine("\n## upscale ×2: the picture shrunk by area averaging to 128², enlarged back, PSNR / SSIM against the original");
        Console.WriteLine("| OpenCV bicubic | OpenCV Lanczos | ours |");
        Console.WriteLine("| --- | --- | --- |");
        var sums = new Dictionary<string, (double Psnr, double Ssim)>();
        foreach (var picture in pictures)
        {
            var small = Resize(picture, Side / 2, InterpolationFlags.Area);
            Add(sums, "cubic", Score(picture, Resize(small, Side, InterpolationFlags.Cubic).Rgba, null));
            Add(sums, "lanczos", Score(picture, Resize(small, Side, InterpolationFlags.Lanczos4).Rgba, null));
            var (ours, _) = await RunAsync(daemon, "restore", small, null, new() { ["method"] = Value.ForString("upscale"), ["scale"] = Value.ForNumber(2) });
            Add(sums, "ours", Score(picture, ours, null));
        }

        int n = pictures.Length;
        Console.WriteLine($"| {Cell(sums["cubic"], n)} | {Cell(sums["lanczos"], n)} | {Cell(sums["ours"], n)} |");
    }

    // ---------------------------------------------------------------------------------------
    // time

    private static async Task TimeAsync(RunningDaemon daemon)
    {
        Console.WriteLine("\n## time on a 1024² picture (astronaut ×2, bicubic), engine time from the job's provenance, median of 3, vs OpenCV called directly on the same picture");
        Console.WriteLine("| operation | ours ms | OpenCV baseline | baseline ms | ratio |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var picture = Resize(TestPictures.Load("astronaut.png"), 1024, InterpolationFlags.Cubic);
        var blob = FillHoles.Make("blob 15 %", 1024, seed: 5);
        var noisy = picture.WithNoise(20, seed: 1);
        var blurred = Blur(picture, 2);
        var small = Resize(picture, 512, InterpolationFlags.Area);
        var (grey, hints) = GreyWithHints(picture, 0.01, seed: 3);
        var objectLayer = (byte[])Resize(TestPictures.Load("coffee.png").Crop(100, 0, 400, 400), 1024, InterpolationFlags.Cubic).Rgba.Clone();
        var disc = new byte[1024 * 1024];
        for (int y = 0; y < 1024; y++)
            for (int x = 0; x < 1024; x++)
                disc[y * 1024 + x] = (x - 512) * (x - 512) + (y - 512) * (y - 512) <= 300 * 300 ? (byte)255 : (byte)0;
        for (int p = 0; p < disc.Length; p++)
            objectLayer[p * 4 + 3] = disc[p];

        await Row("fill (15 % blob, auto)", () => Request("fill", picture with { Rgba = FillHoles.Damage(picture.Rgba, blob) }, blob, new() { ["method"] = Value.ForString("auto") }),
            "inpaint Telea", () => OpenCvInpaint(picture with { Rgba = FillHoles.Damage(picture.Rgba, blob) }, blob, InpaintTypes.Telea));
        await Row("restore denoise (σ 20)", () => Request("restore", noisy, null, new() { ["method"] = Value.ForString("denoise") }),
            "fastNlMeansDenoisingColored", () => OpenCvNlm(noisy, 12));
        await Row("restore deblur (σ 2)", () => Request("restore", blurred, null, new() { ["method"] = Value.ForString("deblur") }),
            "unsharp mask", () => Unsharp(blurred, 2));
        await Row("restore upscale ×2 (512² → 1024²)", () => Request("restore", small, null, new() { ["method"] = Value.ForString("upscale"), ["scale"] = Value.ForNumber(2) }),
            "resize Lanczos", () => Resize(small, 1024, InterpolationFlags.Lanczos4).Rgba);
        await Row("colorize photo (1 % hints)", () =>
        {
            var r = Request("colorize", grey, null, new() { ["mode"] = Value.ForString("photo") });
            r.Inputs["hints"] = WireRequests.Layer(hints);
            return r;
        }, "— (OpenCV has none)", null);
        await Row("stylize watercolour", () => Request("stylize", picture, null, new() { ["preset"] = Value.ForString("watercolour") }),
            "stylization", () => { using var bgr = Bgr(picture); using var o = new Mat(); Cv2.Stylization(bgr, o, 60, 0.45f); return Rgba(o); });
        await Row("compose seamless", () =>
        {
            var r = Request("compose", picture, null, new());
            r.Inputs["object"] = WireRequests.Layer(new RgbaPicture(1024, 1024, objectLayer));
            return r;
        }, "seamlessClone", () =>
        {
            using var dst = Bgr(picture);
            using var src = Bgr(new RgbaPicture(1024, 1024, objectLayer));
            using var m = Mat.FromPixelData(1024, 1024, MatType.CV_8UC1, disc);
            using var o = new Mat();
            Cv2.SeamlessClone(src, dst, m, new Point(512, 512), o, SeamlessCloneFlags.NormalClone);
            return Rgba(o);
        });
        await Row("segment (point, 5 rounds)", () => Request("segment", picture, null, new() { ["x"] = Value.ForNumber(560), ["y"] = Value.ForNumber(400) }),
            "grabCut (box, 5 rounds)", () =>
            {
                using var bgr = Bgr(picture);
                using var m = new Mat();
                using var b = new Mat();
                using var f = new Mat();
                Cv2.GrabCut(bgr, m, new OpenCvSharp.Rect(20, 20, 984, 984), b, f, 5, GrabCutModes.InitWithRect);
                return [];
            });

        async Task Row(string name, Func<JobRequest> request, string baselineName, Func<byte[]>? baseline)
        {
            var ours = new List<double>();
            for (int i = 0; i < 3; i++)
                ours.Add((await daemon.Client.RunJobAsync(request())).Provenance.Timings.EngineMs);
            ours.Sort();
            if (baseline is null)
            {
                Console.WriteLine($"| {name} | {ours[1]:0} | {baselineName} | — | — |");
                return;
            }

            var theirs = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                baseline();
                theirs.Add(clock.Elapsed.TotalMilliseconds);
            }

            theirs.Sort();
            Console.WriteLine($"| {name} | {ours[1]:0} | {baselineName} | {theirs[1]:0} | {ours[1] / theirs[1]:0.0}× |");
        }
    }

    // ---------------------------------------------------------------------------------------
    // helpers

    internal static async Task<(byte[] Pixels, Provenance Provenance)> RunAsync(RunningDaemon daemon, string operation, RgbaPicture picture, byte[]? hole, Dictionary<string, Value> parameters, bool defaultGeometry = false)
    {
        var result = await daemon.Client.RunJobAsync(Request(operation, picture, hole, parameters, defaultGeometry));
        var layer = result.Layer;
        var pixels = (byte[])picture.Rgba.Clone();
        if (layer.Width == picture.Width && layer.Height == picture.Height || hole is null)
            return (layer.Data.ToByteArray(), result.Provenance);
        var data = layer.Data.ToByteArray();
        for (int y = 0; y < layer.Height; y++)
            Buffer.BlockCopy(data, y * layer.Width * 4, pixels, ((layer.OffsetY + y) * picture.Width + layer.OffsetX) * 4, layer.Width * 4);
        return (pixels, result.Provenance);
    }

    // With a hole: grow 0, feather 0 (the engine alone), or the daemon's default geometry (what the Fill button sends).
    internal static JobRequest Request(string operation, RgbaPicture picture, byte[]? hole, Dictionary<string, Value> parameters, bool defaultGeometry = false)
    {
        var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Seed = 1, Parameters = new Struct() };
        foreach (var (name, value) in parameters)
            request.Parameters.Fields[name] = value;
        if (hole is not null)
        {
            request.Mask = new Mask { Width = picture.Width, Height = picture.Height, Coverage = ByteString.CopyFrom(hole) };
            if (!defaultGeometry)
                request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };
        }

        return request;
    }

    internal static (double Psnr, double Ssim) Score(RgbaPicture original, byte[] candidate, byte[]? mask) =>
        (QualityMetrics.Psnr(original.Rgba, candidate, mask), QualityMetrics.Ssim(original.Width, original.Height, original.Rgba, candidate, mask));

    internal static void Add(Dictionary<string, (double Psnr, double Ssim)> sums, string name, (double Psnr, double Ssim) value)
    {
        var (p, s) = sums.GetValueOrDefault(name);
        sums[name] = (p + value.Psnr, s + value.Ssim);
    }

    internal static string Cell((double Psnr, double Ssim) sum, int n) => $"{sum.Psnr / n:0.00} / {sum.Ssim / n:0.000}";

    internal static RgbaPicture Centre(RgbaPicture picture, int side)
    {
        var square = Math.Min(picture.Width, picture.Height) < side ? Resize(picture, side, InterpolationFlags.Cubic) : picture;
        return square.Crop((square.Width - side) / 2, (square.Height - side) / 2, side, side);
    }

    private static RgbaPicture Blur(RgbaPicture picture, double sigma)
    {
        using var rgba = Mat.FromPixelData(picture.Height, picture.Width, MatType.CV_8UC4, picture.Rgba);
        using var blurred = new Mat();
        Cv2.GaussianBlur(rgba, blurred, new Size(0, 0), sigma, sigma, BorderTypes.Reflect101);
        return picture with { Rgba = Bytes(blurred) };
    }

    // A square picture resized to side², or any picture to side on its longer side.
    internal static RgbaPicture Resize(RgbaPicture picture, int side, InterpolationFlags how)
    {
        using var rgba = Mat.FromPixelData(picture.Height, picture.Width, MatType.CV_8UC4, picture.Rgba);
        using var resized = new Mat();
        int w = picture.Width >= picture.Height ? side : (int)Math.Round((double)side * picture.Width / picture.Height);
        int h = picture.Height >= picture.Width ? side : (int)Math.Round((double)side * picture.Height / picture.Width);
        Cv2.Resize(rgba, resized, new Size(w, h), 0, 0, how);
        return new RgbaPicture(w, h, Bytes(resized));
    }

    internal static Mat Bgr(RgbaPicture picture)
    {
        using var rgba = Mat.FromPixelData(picture.Height, picture.Width, MatType.CV_8UC4, picture.Rgba);
        var bgr = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        return bgr;
    }

    internal static byte[] Rgba(Mat bgr)
    {
        using var rgba = new Mat();
        Cv2.CvtColor(bgr, rgba, ColorConversionCodes.BGR2RGBA);
        return Bytes(rgba);
    }

    internal static byte[] Bytes(Mat mat)
    {
        var bytes = new byte[mat.Total() * mat.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(mat.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
