using EditorBridge.Imaging;
using EditorBridge.Testing;
using OpenCvSharp;
using Xunit.Sdk;

namespace EditorBridge.Engines.Classic.Tests;

/// <summary>
/// The default fill (<c>auto</c>) as the Fill button runs it: texture kept, no ghosts (copies where the picture
/// repeats exactly, otherwise structure plus one copy's detail, never a mix of two fills), the grown band used
/// as context, and its quality on the held-out pictures (tests/data/holdout) against OpenCV.
/// </summary>
public sealed class FillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Side = 128;

    // a blob of three overlapping discs, about 9 % of the picture
    private static byte[] Blob(int side = Side)
    {
        double s = side / 128.0;
        var hole = Pictures.Disc(side, side, 60 * s, 64 * s, 14 * s);
        foreach (var (x, y, r) in new[] { (74, 58, 12), (66, 76, 12) })
        {
            var disc = Pictures.Disc(side, side, x * s, y * s, r * s);
            for (int p = 0; p < hole.Length; p++)
                hole[p] |= disc[p];
        }

        return hole;
    }

    [Fact]
    public void Texture_is_kept_inside_a_large_hole_on_a_textured_picture()
    {
        var picture = Pictures.Centre("grass.png", Side);
        var hole = Blob();

        var filled = EngineRun.Run("fill", picture, hole).Image.Pixels;

        double ratio = TextureContrast.Ratio(Side, Side, filled, hole);
        output.WriteLine($"texture ratio: ours {ratio:F2}, the original's {TextureContrast.Ratio(Side, Side, picture.Rgba, hole):F2}");
        AssertTextureKept(ratio);
    }

    [Fact]
    public void The_texture_parameter_trades_grain_for_smoothness()
    {
        var picture = Pictures.Centre("grass.png", Side);
        var hole = Blob();

        double Ratio(double texture) => TextureContrast.Ratio(Side, Side, EngineRun.Run("fill", picture, hole, new() { ["texture"] = texture }).Image.Pixels, hole);
        double smooth = Ratio(0), normal = Ratio(1), strong = Ratio(2);

        output.WriteLine($"texture ratio at texture 0: {smooth:F2}, 1: {normal:F2}, 2: {strong:F2}");
        Assert.True(smooth < 0.5, $"texture 0 still has {smooth:F2} of the ring's detail");
        Assert.True(normal > smooth + 0.3 && strong > normal + 0.2, $"texture 0/1/2 gave {smooth:F2}/{normal:F2}/{strong:F2}");
    }

    [Fact]
    public void Guard_a_fill_that_returns_the_blurred_surroundings_fails_the_texture_check()
    {
        var picture = Pictures.Centre("grass.png", Side);
        var hole = Blob();
        var smooth = EngineRun.Run("fill", picture, hole, new() { ["method"] = "telea" }).Image.Pixels;
        var blurred = Pictures.Blurred(new RgbaPicture(Side, Side, smooth), 2).Rgba;
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                Buffer.BlockCopy(picture.Rgba, p * 4, blurred, p * 4, 4);
        }

        double ratio = TextureContrast.Ratio(Side, Side, blurred, hole);
        output.WriteLine($"texture ratio of the blurred fill: {ratio:F2}");
        Assert.ThrowsAny<XunitException>(() => AssertTextureKept(ratio));
    }

    // The issue's bound: the high-pass deviation inside within ±25 % of the ring's.
    private static void AssertTextureKept(double ratio) =>
        Assert.True(ratio is >= 0.75 and <= 1.25, $"texture ratio {ratio:F2} is outside 0.75..1.25");

    [Fact]
    public void No_pixel_is_a_blend_of_two_different_candidates()
    {
        // Black and white blocks of several sizes: every plausible fill pixel is black or white;
        // a grey one is a mix of two candidates that differ by 255 levels (a ghost).
        var picture = TwoColourBlocks(Side);
        var hole = Blob();

        var filled = EngineRun.Run("fill", picture, hole).Image.Pixels;
        var again = EngineRun.Run("fill", picture, hole).Image.Pixels;

        double share = GhostShare(filled, hole);
        output.WriteLine($"pixels more than 40 levels from black and from white: {share:P2}");
        Assert.True(share <= 0.01, $"{share:P2} of the hole is a mix of black and white");
        Assert.Equal(filled, again);
    }

    [Fact]
    public void Guard_the_average_of_two_different_fills_fails_the_ghost_check()
    {
        var picture = TwoColourBlocks(Side);
        var hole = Blob();
        var a = EngineRun.Run(EngineRun.Request("fill", picture, hole, new() { ["method"] = "exemplar" }, seed: 1)).Image.Pixels;
        var b = EngineRun.Run(EngineRun.Request("fill", picture, hole, new() { ["method"] = "exemplar" }, seed: 2)).Image.Pixels;
        var mixed = a.Zip(b, (x, y) => (byte)((x + y + 1) / 2)).ToArray();

        double share = GhostShare(mixed, hole);
        output.WriteLine($"ghost share of the average: {share:P2}");
        Assert.True(share > 0.01, $"only {share:P2}: the check cannot tell a blend");
    }

    [Fact]
    public void The_grown_band_is_context_and_comes_back_as_it_was()
    {
        var picture = Pictures.Centre("coffee.png", Side);
        var hole = Blob();
        var grown = Grow(hole, 4);

        var plain = EngineRun.Run("fill", picture, hole).Image.Pixels;
        var request = EngineRun.Request("fill", picture, grown);
        request = request with { Mask = new EngineMask(Side, Side, grown) { Selected = hole } };
        var banded = EngineRun.Run(request).Image.Pixels;

        // filling the painter's hole from all around it, band included, is the same fill as without growing
        Assert.Equal(plain, banded);
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                Assert.True(banded.AsSpan(p * 4, 4).SequenceEqual(picture.Rgba.AsSpan(p * 4, 4)), $"pixel {p} outside the painter's hole changed");
        }
    }

    [Fact]
    public void On_the_held_out_pictures_at_the_default_geometry_the_fill_beats_telea_and_ns_on_psnr_and_ssim()
    {
        // the benchmark's held-out table: three 256² crops × three hole kinds, ours as the Fill button runs it
        var pictures = HeldOutPictures.LoadAll();
        var sums = new Dictionary<string, double[]>();
        foreach (var kind in FillHoles.Kinds)
        {
            var kindSums = new Dictionary<string, double[]>();
            for (int i = 0; i < pictures.Length; i++)
            {
                var picture = pictures[i];
                int side = picture.Width;
                var hole = FillHoles.Make(kind, side, FillHoles.Seed(kind, i));
                var damaged = picture with { Rgba = FillHoles.Damage(picture.Rgba, hole) };
                var mask = new EngineMask(side, side, hole);
                Add(kindSums, "ours", picture, DefaultGeometryFill(damaged, hole), hole);
                Add(kindSums, "telea", picture, DiffusionFill.Fill(EngineRun.Image(damaged), mask, InpaintTypes.Telea, 5), hole);
                Add(kindSums, "ns", picture, DiffusionFill.Fill(EngineRun.Image(damaged), mask, InpaintTypes.NS, 5), hole);
            }

            foreach (var (name, v) in kindSums)
            {
                output.WriteLine($"{kind,-10} {name,-6} PSNR {v[0] / pictures.Length:F2}  SSIM {v[1] / pictures.Length:F3}  texture {v[2] / pictures.Length:F2}");
                sums[name] = sums.TryGetValue(name, out var t) ? t.Zip(v, (a, b) => a + b).ToArray() : v;
            }
        }

        int n = FillHoles.Kinds.Length * pictures.Length;
        double Mean(string name, int k) => sums[name][k] / n;
        output.WriteLine($"mean: PSNR ours {Mean("ours", 0):F2}, Telea {Mean("telea", 0):F2}, NS {Mean("ns", 0):F2}; SSIM ours {Mean("ours", 1):F4}, Telea {Mean("telea", 1):F4}, NS {Mean("ns", 1):F4}; texture ours {Mean("ours", 2):F2}, Telea {Mean("telea", 2):F2}");
        // Measured 2026-12-07 11:35 UTC (these nine fills, the same as the benchmark's held-out table): PSNR ours 17.87,
        // Telea 17.27, NS 17.52; SSIM ours 0.510, Telea 0.474, NS 0.496; texture ours 0.82 (per kind 0.84 / 0.78 / 0.83),
        // Telea 0.22. The issue's floors are held as they are: PSNR and SSIM at least Telea's
        // and NS's, and the texture within ±25 % of the ring's (the gain is solved on the finished pixels for 0.85 of
        // it, TextureGain; before that these crops came out at 0.69).
        AssertTextureKept(Mean("ours", 2));
        Assert.True(Mean("telea", 2) < 0.5, $"Telea kept texture {Mean("telea", 2):F2}: the comparison proves nothing");
        Assert.True(Mean("ours", 0) >= Mean("telea", 0), $"PSNR {Mean("ours", 0):F2} vs Telea {Mean("telea", 0):F2}");
        Assert.True(Mean("ours", 0) >= Mean("ns", 0), $"PSNR {Mean("ours", 0):F2} vs NS {Mean("ns", 0):F2}");
        Assert.True(Mean("ours", 1) >= Mean("telea", 1), $"SSIM {Mean("ours", 1):F3} vs Telea {Mean("telea", 1):F3}");
        Assert.True(Mean("ours", 1) >= Mean("ns", 1), $"SSIM {Mean("ours", 1):F3} vs NS {Mean("ns", 1):F3}");
    }

    private static void Add(Dictionary<string, double[]> sums, string name, RgbaPicture original, byte[] candidate, byte[] hole)
    {
        int side = original.Width;
        var sum = sums.GetValueOrDefault(name) ?? new double[3];
        sums[name] = [sum[0] + QualityMetrics.Psnr(original.Rgba, candidate, hole), sum[1] + QualityMetrics.Ssim(side, side, original.Rgba, candidate, hole),
            sum[2] + TextureContrast.Ratio(side, side, candidate, hole)];
    }

    [Fact]
    public void On_a_photo_the_fill_follows_its_structure_and_never_mixes_in_the_copies_shading()
    {
        var (picture, hole, structure, copies) = PhotoCandidates();
        var filled = EngineRun.Run("fill", picture, hole).Image.Pixels;

        double share = MixedShare(filled, structure, copies, hole, out int disputed);
        output.WriteLine($"{disputed} hole pixels where structure and copies differ by > {Disagreement} levels (blurred); a mix of both in {share:P2} of them");
        Assert.True(disputed > 50, $"only {disputed} disputed pixels: the check proves nothing");
        Assert.True(share <= 0.02, $"{share:P2} of the disputed pixels are a mix of the two candidate fills");
    }

    [Fact]
    public void Guard_the_average_of_structure_and_copies_fails_the_mix_check()
    {
        var (_, hole, structure, copies) = PhotoCandidates();
        var mixed = structure.Zip(copies, (x, y) => (byte)((x + y + 1) / 2)).ToArray();

        double share = MixedShare(mixed, structure, copies, hole, out _);
        output.WriteLine($"mixed share of the average: {share:P2}");
        Assert.True(share > 0.5, $"only {share:P2}: the check cannot tell a blend");
    }

    [Fact]
    public void The_structure_membrane_reproduces_a_linear_ramp_through_a_large_hole()
    {
        const int side = 96;
        var rgba = new byte[side * side * 4];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                rgba.AsSpan((y * side + x) * 4, 4).Fill((byte)(40 + x + y));
        var hole = Pictures.Disc(side, side, 48, 48, 30);

        float[][] channels = AutoFill.Structure(side, side, rgba, hole, CancellationToken.None);

        double worst = 0;
        for (int p = 0; p < hole.Length; p++)
            worst = Math.Max(worst, Math.Abs(channels[0][p] - rgba[p * 4]));
        output.WriteLine($"largest error on the ramp: {worst:F2} levels");
        Assert.True(worst < 1.5, $"the membrane misses the ramp by {worst:F2} levels");
    }

    [Fact]
    public void A_straight_edge_across_a_large_hole_is_continued_where_the_membrane_smears_it()
    {
        var (picture, hole) = EdgeAcrossHole();

        double continued = MeanError(picture, AutoFill.Structure(Side, Side, picture.Rgba, hole, CancellationToken.None), hole);
        double membrane = MeanError(picture, HarmonicFill.Fill(Side, Side, picture.Rgba, hole, CancellationToken.None, biharmonicSweeps: 0), hole);

        output.WriteLine($"mean error inside the hole: structure {continued:F1} levels, membrane alone {membrane:F1}");
        Assert.True(continued < 0.6 * membrane, $"the edge is not continued: {continued:F1} levels off, the membrane {membrane:F1}");
        Assert.True(continued < 20, $"{continued:F1} levels off on a two-colour picture");
    }

    // Dark above a straight edge at about 27°, light below; a disc of radius 30 over the edge.
    private static (RgbaPicture Picture, byte[] Hole) EdgeAcrossHole()
    {
        var rgba = new byte[Side * Side * 4];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                rgba.AsSpan((y * Side + x) * 4, 4).Fill(y > 0.5 * x + 32 ? (byte)200 : (byte)40);
                rgba[(y * Side + x) * 4 + 3] = 255;
            }
        return (new RgbaPicture(Side, Side, rgba), Pictures.Disc(Side, Side, 64, 64, 30));
    }

    private static double MeanError(RgbaPicture picture, float[][] channels, byte[] hole)
    {
        double sum = 0;
        int count = 0;
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                continue;
            sum += Math.Abs(channels[0][p] - picture.Rgba[p * 4]);
            count++;
        }
        return sum / count;
    }

    private const int Disagreement = 40;

    // The two candidates auto chooses between on a photo: its smooth structure and the exemplar copies.
    private static (RgbaPicture Picture, byte[] Hole, byte[] Structure, byte[] Copies) PhotoCandidates()
    {
        var picture = Pictures.Centre("coffee.png", Side);
        var hole = Blob();
        float[][] channels = AutoFill.Structure(Side, Side, picture.Rgba, hole, CancellationToken.None);
        var structure = (byte[])picture.Rgba.Clone();
        for (int p = 0; p < hole.Length; p++)
            for (int c = 0; c < 4; c++)
                structure[p * 4 + c] = (byte)Math.Clamp(MathF.Round(channels[c][p]), 0, 255);
        var copies = EngineRun.Run("fill", picture, hole, new() { ["method"] = "exemplar" }).Image.Pixels;
        return (picture, hole, structure, copies);
    }

    // Among hole pixels where the two candidates' local means (Gaussian σ 3) differ by more than Disagreement levels
    // (mean over RGB), the share where the fill's local mean is more than a quarter of that gap away from both.
    private static double MixedShare(byte[] filled, byte[] structure, byte[] copies, byte[] hole, out int disputed)
    {
        var (f, s, e) = (Pictures.Blurred(new RgbaPicture(Side, Side, filled), 3).Rgba, Pictures.Blurred(new RgbaPicture(Side, Side, structure), 3).Rgba, Pictures.Blurred(new RgbaPicture(Side, Side, copies), 3).Rgba);
        static double Grey(byte[] rgba, int p) => (rgba[p * 4] + rgba[p * 4 + 1] + rgba[p * 4 + 2]) / 3.0;
        int mixed = 0;
        disputed = 0;
        for (int p = 0; p < hole.Length; p++)
        {
            double gap = Math.Abs(Grey(s, p) - Grey(e, p));
            if (hole[p] == 0 || gap <= Disagreement)
                continue;
            disputed++;
            if (Math.Abs(Grey(f, p) - Grey(s, p)) > gap / 4 && Math.Abs(Grey(f, p) - Grey(e, p)) > gap / 4)
                mixed++;
        }

        return disputed == 0 ? 0 : (double)mixed / disputed;
    }

    [Fact]
    public void A_cancel_at_the_first_progress_ends_the_run_before_any_more_work()
    {
        var picture = Pictures.Centre("astronaut.png", 512);
        var request = EngineRun.Request("fill", picture, Pictures.Disc(512, 512, 256, 256, 120));

        Assert.Equal(0, EngineRun.ReportsAfterCancel(request));
    }

    [Fact]
    public void A_cancel_midway_ends_the_parallel_search_before_another_round()
    {
        var picture = Pictures.Centre("astronaut.png", 256);
        var request = EngineRun.Request("fill", picture, Pictures.Disc(256, 256, 128, 128, 60));

        Assert.Equal(0, EngineRun.ReportsAfterCancel(request, p => p.Step >= 2));
    }

    // What the daemon does with the Fill button's settings: grow 4, the engine, feather 4 back into the layer.
    private static byte[] DefaultGeometryFill(RgbaPicture picture, byte[] hole)
    {
        var bounds = new PixelRect(0, 0, picture.Width, picture.Height);
        var layer = new Raster(bounds, PixelFormat.Rgba8, picture.Rgba);
        var area = SelectionWorkArea.Plan(layer, new SelectionMask(bounds, hole), GeometrySettings.Default, 2048, 1);
        var request = EngineRun.Request("fill", new RgbaPicture(area.WorkWidth, area.WorkHeight, area.WorkImage()), area.WorkHole());
        request = request with { Mask = new EngineMask(area.WorkWidth, area.WorkHeight, area.WorkHole()!) { Selected = area.WorkSelected() } };
        var blended = area.Compose(EngineRun.Run(request).Image.Pixels);
        var result = (byte[])picture.Rgba.Clone();
        var box = blended.Bounds;
        for (int y = 0; y < box.Height; y++)
            Buffer.BlockCopy(blended.Data, y * box.Width * 4, result, ((box.Y + y) * picture.Width + box.X) * 4, box.Width * 4);
        return result;
    }

    private static RgbaPicture TwoColourBlocks(int side)
    {
        var rgba = new byte[side * side * 4];
        var cells = new[] { 6, 10, 16 };
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int cell = cells[x * 3 / side];
                bool white = ((x / cell) * 7 + (y / cell) * 13 + (x / cell) * (y / cell)) % 3 == 0;
                rgba.AsSpan((y * side + x) * 4, 4).Fill(white ? (byte)255 : (byte)0);
                rgba[(y * side + x) * 4 + 3] = 255;
            }

        return new RgbaPicture(side, side, rgba);
    }

    private static double GhostShare(byte[] rgba, byte[] hole)
    {
        int ghosts = 0, count = 0;
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                continue;
            count++;
            int v = (rgba[p * 4] + rgba[p * 4 + 1] + rgba[p * 4 + 2]) / 3;
            if (v > 40 && v < 215)
                ghosts++;
        }

        return (double)ghosts / count;
    }

    private static byte[] Grow(byte[] hole, int pixels)
    {
        var grown = (byte[])hole.Clone();
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                if (hole[y * Side + x] == 0)
                    continue;
                for (int dy = -pixels; dy <= pixels; dy++)
                    for (int dx = -pixels; dx <= pixels; dx++)
                        if (dx * dx + dy * dy <= pixels * pixels && (uint)(x + dx) < Side && (uint)(y + dy) < Side)
                            grown[(y + dy) * Side + x + dx] = 255;
            }

        return grown;
    }
}
