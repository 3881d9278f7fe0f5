using System.Diagnostics;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;
using OpenCvSharp;
using static EditorBridge.Bench.QualityBenchmark;

namespace EditorBridge.Bench;

/// <summary>
/// The fill part of <c>quality</c>: per hole kind, in-hole PSNR / SSIM against the original and the
/// texture ratio (<see cref="TextureContrast"/>), on the tuning pictures (tests/data/photos) and,
/// separately, on the held-out crops (<see cref="HeldOutPictures"/>); ours through the daemon at the
/// geometry the Fill button sends (grow 4, feather 4) and at grow 0, OpenCV called directly in the
/// same run. Writes the held-out contact sheet, and times a 1024² fill against Telea.
/// </summary>
internal static class FillBenchmark
{
    public static readonly string[] Kinds = FillHoles.Kinds;

    private static readonly string[] Columns = ["telea", "ns", "ours", "ours grow 0", "exemplar"];

    /// <param name="heldOut">Also the held-out table and its contact sheet (false: `quality filltune`, for tuning).</param>
    public static async Task QualityAsync(RunningDaemon daemon, RgbaPicture[] tuning, bool heldOut = true)
    {
        Console.WriteLine("\n## fill: PSNR dB / SSIM / texture ratio inside the hole (the painter's selection), mean over the pictures");
        Console.WriteLine("ours = `auto` through the daemon with the default geometry (grow 4, feather 4); texture ratio = high-pass σ inside the hole ÷ in a ring around it (the original's own ratio in the last column; target: within ±25 % of 1)");
        await TableAsync(daemon, "tuning set (tests/data/photos)", tuning, null);
        if (!heldOut)
            return;
        var heldOutPictures = HeldOutPictures.LoadAll();
        var sheet = Path.Combine(Environment.CurrentDirectory, "fill-heldout.png");
        await TableAsync(daemon, $"held-out set ({string.Join(", ", HeldOutPictures.Crops.Select(c => c.Name))}; never tuned on)", heldOutPictures, sheet);
        Console.WriteLine($"contact sheet (original, hole, Telea, ours per row; rows: each held-out crop × each hole kind): {sheet}");
    }

    private static async Task TableAsync(RunningDaemon daemon, string title, RgbaPicture[] pictures, string? sheetPath)
    {
        Console.WriteLine($"\n### {title}");
        Console.WriteLine("| hole | OpenCV Telea | OpenCV Navier–Stokes | **ours** | ours, grow 0 | exemplar alone | original's texture ratio |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        var totals = new Dictionary<string, double[]>();
        var tiles = new List<byte[]>();
        int side = pictures[0].Width;
        foreach (var kind in Kinds)
        {
            var sums = new Dictionary<string, double[]>();
            for (int i = 0; i < pictures.Length; i++)
            {
                var picture = pictures[i];
                var hole = FillHoles.Make(kind, side, FillHoles.Seed(kind, i));
                var damaged = picture with { Rgba = FillHoles.Damage(picture.Rgba, hole) };
                var telea = OpenCvInpaint(damaged, hole, InpaintTypes.Telea);
                Add3(sums, "telea", picture, telea, hole);
                Add3(sums, "ns", picture, OpenCvInpaint(damaged, hole, InpaintTypes.NS), hole);
                var (ours, _) = await RunAsync(daemon, "fill", damaged, hole, new() { ["method"] = Value.ForString("auto") }, defaultGeometry: true);
                Add3(sums, "ours", picture, ours, hole);
                var (grow0, _) = await RunAsync(daemon, "fill", damaged, hole, new() { ["method"] = Value.ForString("auto") });
                Add3(sums, "ours grow 0", picture, grow0, hole);
                var (exemplar, _) = await RunAsync(daemon, "fill", damaged, hole, new() { ["method"] = Value.ForString("exemplar") }, defaultGeometry: true);
                Add3(sums, "exemplar", picture, exemplar, hole);
                Add3(sums, "original", picture, picture.Rgba, hole);
                tiles.AddRange([picture.Rgba, damaged.Rgba, telea, ours]);
            }

            Console.WriteLine($"| {kind} | {string.Join(" | ", Columns.Select(c => Cell3(sums[c], pictures.Length, c == "ours")))} | {sums["original"][2] / pictures.Length:0.00} |");
            foreach (var (name, value) in sums)
                totals[name] = totals.TryGetValue(name, out var t) ? t.Zip(value, (a, b) => a + b).ToArray() : value;
        }

        int n = Kinds.Length * pictures.Length;
        Console.WriteLine($"| **mean** | {string.Join(" | ", Columns.Select(c => Cell3(totals[c], n, c == "ours")))} | {totals["original"][2] / n:0.00} |");
        if (sheetPath is not null)
            ContactSheet(sheetPath, side, tiles);
    }

    private static void Add3(Dictionary<string, double[]> sums, string name, RgbaPicture original, byte[] candidate, byte[] hole)
    {
        var (psnr, ssim) = original.Rgba == candidate ? (0, 0) : Score(original, candidate, hole);
        double texture = TextureContrast.Ratio(original.Width, original.Height, candidate, hole);
        var sum = sums.GetValueOrDefault(name) ?? new double[3];
        sums[name] = [sum[0] + psnr, sum[1] + ssim, sum[2] + texture];
    }

    private static string Cell3(double[] sum, int n, bool bold)
    {
        var text = $"{sum[0] / n:0.00} / {sum[1] / n:0.000} / {sum[2] / n:0.00}";
        return bold ? $"**{text}**" : text;
    }

    // Rows of four tiles: original, hole (magenta), Telea, ours.
    private static void ContactSheet(string path, int side, List<byte[]> tiles)
    {
        int rows = tiles.Count / 4, width = 4 * side, height = rows * side;
        var sheet = new byte[width * height * 4];
        for (int t = 0; t < tiles.Count; t++)
        {
            int x0 = t % 4 * side, y0 = t / 4 * side;
            for (int y = 0; y < side; y++)
                Buffer.BlockCopy(tiles[t], y * side * 4, sheet, ((y0 + y) * width + x0) * 4, side * 4);
        }

        TestPictures.Save(path, width, height, sheet);
    }

    /// <summary>A 1024² photo with a 10 % blob: ours at the default geometry vs Telea on the same picture, each round both, medians of 5.</summary>
    public static async Task TimeAsync(RunningDaemon daemon)
    {
        Console.WriteLine("\n## fill time: 1024² photo (astronaut ×2, bicubic), 10 % blob, engine time from the job's provenance vs OpenCV Telea called directly, medians of 5, interleaved");
        Console.WriteLine("| method | ours ms | Telea ms | ratio | ratio of the mins | progress events |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var picture = Resize(TestPictures.Load("astronaut.png"), 1024, InterpolationFlags.Cubic);
        var hole = FillHoles.Make("blob 10 %", 1024, seed: 5);
        var damaged = picture with { Rgba = FillHoles.Damage(picture.Rgba, hole) };
        foreach (var method in new[] { "auto", "exemplar" })
        {
            var ours = new List<double>();
            var teleas = new List<double>();
            int events = 0;
            for (int i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                OpenCvInpaint(damaged, hole, InpaintTypes.Telea);
                teleas.Add(clock.Elapsed.TotalMilliseconds);
                int seen = 0;
                var result = await daemon.Client.RunJobAsync(Request("fill", damaged, hole, new() { ["method"] = Value.ForString(method) }, defaultGeometry: true),
                    new Progress<JobEvent>(e => { if (e.EventCase == JobEvent.EventOneofCase.Progress) Interlocked.Increment(ref seen); }));
                ours.Add(result.Provenance.Timings.EngineMs);
                events = seen;
            }

            ours.Sort();
            teleas.Sort();
            Console.WriteLine($"| {method} | {ours[2]:0} | {teleas[2]:0} | {ours[2] / teleas[2]:0.0}× | {ours[0] / teleas[0]:0.0}× | {events} |");
        }
    }
}
