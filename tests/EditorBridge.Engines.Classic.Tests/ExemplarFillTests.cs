using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

public sealed class ExemplarFillTests
{
    private const int CropSide = 256;
    private const int HoleSide = 64;

    [Fact]
    public void Known_pixels_come_back_bit_for_bit_and_the_input_is_left_alone()
    {
        RgbaPicture picture = WithAlphaRamp(CentreCrop(TestPictures.Load("astronaut.png"), 160));
        byte[] hole = DiscHole(picture.Width, picture.Height, 40, 70, 25);
        AddRectangle(hole, picture.Width, 100, 0, 20, 60); // touches the top border
        byte[] input = (byte[])picture.Rgba.Clone();

        byte[] result = ExemplarFill.Fill(picture.Width, picture.Height, input, hole, new ExemplarFillOptions(), null, default);

        Assert.Equal(picture.Rgba, input);
        Assert.Equal(input.Length, result.Length);
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                Assert.True(input.AsSpan(4 * p, 4).SequenceEqual(result.AsSpan(4 * p, 4)), $"known pixel {p} changed");
        }
    }

    [Fact]
    public void Fills_from_known_pixels_only_ignoring_what_the_hole_held()
    {
        RgbaPicture picture = WithAlphaRamp(CentreCrop(TestPictures.Load("coffee.png"), 128));
        byte[] hole = SquareHole(picture.Width, picture.Height, 40);
        byte[] input = (byte[])picture.Rgba.Clone();
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                input.AsSpan(4 * p, 4).Fill(0); // transparent black: nowhere among the known pixels
        }

        byte[] result = ExemplarFill.Fill(picture.Width, picture.Height, input, hole, new ExemplarFillOptions(), null, default);
        byte[] fromOriginal = ExemplarFill.Fill(picture.Width, picture.Height, picture.Rgba, hole, new ExemplarFillOptions(), null, default);

        Assert.Equal(fromOriginal, result);
        // Every known alpha is at least 128, and copies or blends of those cannot drop below it.
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                Assert.InRange(result[4 * p + 3], (byte)128, (byte)255);
        }
    }

    [Fact]
    public void A_hole_inside_a_flat_region_is_filled_with_exactly_that_colour()
    {
        const int width = 96, height = 64;
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Left: flat red. Right: noisy blue-green stripes the fill must not bring over.
                byte[] colour = x < 48 ? [200, 30, 40, 255] : [0, (byte)(x * 37 % 256), (byte)(y * 53 % 256), 255];
                colour.CopyTo(rgba, 4 * (y * width + x));
            }
        }
        byte[] hole = new byte[width * height];
        AddRectangle(hole, width, 12, 20, 24, 24);

        byte[] result = ExemplarFill.Fill(width, height, rgba, hole, new ExemplarFillOptions(), null, default);

        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                Assert.Equal(new byte[] { 200, 30, 40, 255 }, result[(4 * p)..(4 * p + 4)]);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_fill_and_another_seed_another()
    {
        RgbaPicture picture = CentreCrop(TestPictures.Load("gravel.png"), 128);
        byte[] hole = SquareHole(picture.Width, picture.Height, 32);

        byte[] first = Fill(picture, hole, new ExemplarFillOptions(Seed: 42));
        byte[] second = Fill(picture, hole, new ExemplarFillOptions(Seed: 42));
        byte[] other = Fill(picture, hole, new ExemplarFillOptions(Seed: 43));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Pictures_too_small_for_a_whole_patch_are_filled_pixel_by_pixel()
    {
        const int side = 5;
        var rgba = new byte[side * side * 4];
        for (int i = 0; i < rgba.Length; i++)
            rgba[i] = (byte)(i * 7);
        byte[] hole = new byte[side * side];
        foreach (int p in new[] { 0, 12 })
        {
            hole[p] = 1;
            rgba.AsSpan(4 * p, 4).Fill(1);
        }

        byte[] result = ExemplarFill.Fill(side, side, rgba, hole, new ExemplarFillOptions(PatchSize: 7), null, default);

        // No 7x7, 5x5 or 3x3 patch avoids both hole pixels, so each must be a copy of some known pixel.
        var known = Enumerable.Range(0, side * side).Where(p => hole[p] == 0).Select(p => Convert.ToHexString(rgba, 4 * p, 4)).ToHashSet();
        for (int p = 0; p < hole.Length; p++)
        {
            string pixel = Convert.ToHexString(result, 4 * p, 4);
            if (hole[p] == 0)
                Assert.Equal(Convert.ToHexString(rgba, 4 * p, 4), pixel);
            else
                Assert.Contains(pixel, known);
        }
    }

    [Fact]
    public void Reports_progress_up_to_the_total()
    {
        RgbaPicture picture = CentreCrop(TestPictures.Load("grass.png"), 128);
        var reports = new List<(int Done, int Total)>();

        Fill(picture, SquareHole(picture.Width, picture.Height, 32), new ExemplarFillOptions(IterationsPerLevel: 3), (done, total) => reports.Add((done, total)));

        Assert.True(reports.Count >= 3, $"only {reports.Count} progress reports");
        Assert.All(reports, r => Assert.Equal(reports[0].Total, r.Total));
        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Done));
        Assert.Equal(reports[^1].Total, reports[^1].Done);
    }

    [Fact]
    public void A_cancel_midway_stops_the_fill_before_another_round()
    {
        RgbaPicture picture = TestPictures.Load("coffee.png");
        byte[] hole = SquareHole(picture.Width, picture.Height, Math.Min(picture.Width, picture.Height) / 2);
        using var cancellation = new CancellationTokenSource();
        int cancelledAtRound = 0, roundsAfter = 0, total = 0;
        // cancelled from inside the progress report of the second round, on the fill's own thread: where
        // the cancel lands depends on the work done, not on a clock (the time it takes is in the benchmark)
        void Report(int done, int all)
        {
            total = all;
            if (cancellation.IsCancellationRequested)
                roundsAfter++;
            else if (done == 2)
            {
                cancelledAtRound = done;
                cancellation.Cancel();
            }
        }

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ExemplarFill.Fill(picture.Width, picture.Height, picture.Rgba, hole, new ExemplarFillOptions(), Report, cancellation.Token));

        Assert.Equal(2, cancelledAtRound);
        Assert.True(total > 3, $"the fill has only {total} rounds: cancelling at the second is not midway");
        Assert.Equal(0, roundsAfter);
    }

    [Fact]
    public void An_already_cancelled_token_throws_at_once()
    {
        RgbaPicture picture = CentreCrop(TestPictures.Load("brick.png"), 64);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ExemplarFill.Fill(picture.Width, picture.Height, picture.Rgba, SquareHole(64, 64, 16), new ExemplarFillOptions(), null, new CancellationToken(true)));
    }

    public static TheoryData<int, int, int, int, ExemplarFillOptions> BadArguments => new()
    {
        { 8, 8, 8 * 8 * 4 - 1, 8 * 8, new ExemplarFillOptions() },
        { 8, 8, 8 * 8 * 3, 8 * 8, new ExemplarFillOptions() },
        { 8, 8, 8 * 8 * 4, 8 * 8 + 1, new ExemplarFillOptions() },
        { 8, 4, 8 * 8 * 4, 8 * 8, new ExemplarFillOptions() },
        { 0, 8, 0, 0, new ExemplarFillOptions() },
        { -8, -8, 64 * 4, 64, new ExemplarFillOptions() },
        { 8, 8, 8 * 8 * 4, 8 * 8, new ExemplarFillOptions(PatchSize: 6) },
        { 8, 8, 8 * 8 * 4, 8 * 8, new ExemplarFillOptions(PatchSize: 1) },
        { 8, 8, 8 * 8 * 4, 8 * 8, new ExemplarFillOptions(IterationsPerLevel: 0) },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Inconsistent_sizes_or_options_are_rejected(int width, int height, int rgbaLength, int holeLength, ExemplarFillOptions options)
    {
        var hole = new byte[holeLength];
        if (holeLength > 0)
            hole[holeLength / 2] = 1;

        Assert.ThrowsAny<ArgumentException>(() => ExemplarFill.Fill(width, height, new byte[rgbaLength], hole, options, null, default));
    }

    [Fact]
    public void A_hole_covering_everything_is_rejected_with_a_clear_message()
    {
        byte[] hole = Enumerable.Repeat((byte)255, 16 * 16).ToArray();

        var error = Assert.ThrowsAny<ArgumentException>(() => ExemplarFill.Fill(16, 16, new byte[16 * 16 * 4], hole, new ExemplarFillOptions(), null, default));

        Assert.Contains("no known pixels", error.Message);
    }

    [Fact]
    public void No_hole_gives_back_an_equal_copy()
    {
        RgbaPicture picture = CentreCrop(TestPictures.Load("chelsea.png"), 64);

        byte[] result = ExemplarFill.Fill(64, 64, picture.Rgba, new byte[64 * 64], new ExemplarFillOptions(), null, default);

        Assert.Equal(picture.Rgba, result);
        Assert.NotSame(picture.Rgba, result);
    }

    [Theory]
    [InlineData("brick.png")]
    [InlineData("grass.png")]
    public void Texture_in_a_large_hole_keeps_its_detail_where_a_blur_fill_loses_it(string fileName)
    {
        RgbaPicture picture = CentreCrop(TestPictures.Load(fileName), CropSide);
        byte[] hole = SquareHole(CropSide, CropSide, HoleSide);

        byte[] exemplar = Fill(picture, hole, new ExemplarFillOptions());
        byte[] blurred = BlurFill(picture.Rgba, hole, CropSide, CropSide);

        // The reference is the texture the hole cut out: the ring around it may hold more or fewer mortar lines.
        double energy = GradientEnergy(picture.Rgba, hole, CropSide, CropSide);
        double kept = GradientEnergy(exemplar, hole, CropSide, CropSide) / energy;
        double blurKept = GradientEnergy(blurred, hole, CropSide, CropSide) / energy;
        double varianceKept = LocalVariance(exemplar, hole, CropSide, CropSide) / LocalVariance(picture.Rgba, hole, CropSide, CropSide);
        Assert.True(kept >= 0.6, $"exemplar fill kept {kept:P0} of the texture's gradient energy");
        Assert.True(kept <= 1.6, $"exemplar fill has {kept:P0} of the texture's gradient energy: noise, not texture");
        Assert.True(varianceKept >= 0.6, $"exemplar fill kept {varianceKept:P0} of the texture's local variance");
        Assert.True(blurKept <= 0.25, $"the blur baseline kept {blurKept:P0}: the comparison proves nothing");
        double meanShift = Math.Abs(MeanLuma(exemplar, hole) - MeanLuma(picture.Rgba, hole));
        Assert.True(meanShift < 20, $"mean luma in the hole is {meanShift:F1} levels off the original");
    }

    private static byte[] Fill(RgbaPicture picture, byte[] hole, ExemplarFillOptions options, Action<int, int>? progress = null) =>
        ExemplarFill.Fill(picture.Width, picture.Height, picture.Rgba, hole, options, progress, default);

    private static RgbaPicture CentreCrop(RgbaPicture picture, int side)
    {
        int width = Math.Min(side, picture.Width);
        int height = Math.Min(side, picture.Height);
        int left = (picture.Width - width) / 2;
        int top = (picture.Height - height) / 2;
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            Array.Copy(picture.Rgba, ((top + y) * picture.Width + left) * 4, rgba, y * width * 4, width * 4);
        return new RgbaPicture(width, height, rgba);
    }

    private static RgbaPicture WithAlphaRamp(RgbaPicture picture)
    {
        byte[] rgba = (byte[])picture.Rgba.Clone();
        for (int p = 0; p < picture.Width * picture.Height; p++)
            rgba[4 * p + 3] = (byte)(128 + p % picture.Width * 127 / Math.Max(1, picture.Width - 1));
        return picture with { Rgba = rgba };
    }

    private static byte[] SquareHole(int width, int height, int side)
    {
        var hole = new byte[width * height];
        AddRectangle(hole, width, (width - side) / 2, (height - side) / 2, side, side);
        return hole;
    }

    private static void AddRectangle(byte[] hole, int width, int left, int top, int rectangleWidth, int rectangleHeight)
    {
        for (int y = top; y < top + rectangleHeight; y++)
            for (int x = left; x < left + rectangleWidth; x++)
                hole[y * width + x] = 255;
    }

    private static byte[] DiscHole(int width, int height, int centreX, int centreY, int radius)
    {
        var hole = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if ((x - centreX) * (x - centreX) + (y - centreY) * (y - centreY) <= radius * radius)
                    hole[y * width + x] = 1;
        return hole;
    }

    // The blurry kind of fill the exemplar fill is meant to beat: the hole's luma relaxed toward the mean of its neighbours.
    private static byte[] BlurFill(byte[] rgba, byte[] hole, int width, int height)
    {
        double[] luma = Luma(rgba);
        for (int sweep = 0; sweep < 500; sweep++)
        {
            for (int y = 1; y < height - 1; y++)
                for (int x = 1; x < width - 1; x++)
                {
                    int p = y * width + x;
                    if (hole[p] != 0)
                        luma[p] = (luma[p - 1] + luma[p + 1] + luma[p - width] + luma[p + width]) / 4;
                }
        }
        var result = (byte[])rgba.Clone();
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                result[4 * p] = result[4 * p + 1] = result[4 * p + 2] = (byte)Math.Round(luma[p]);
        }
        return result;
    }

    // Mean squared luma step to the right and downward, over steps that stay inside the mask.
    private static double GradientEnergy(byte[] rgba, byte[] mask, int width, int height)
    {
        double[] luma = Luma(rgba);
        double sum = 0;
        int count = 0;
        for (int y = 0; y < height - 1; y++)
            for (int x = 0; x < width - 1; x++)
            {
                int p = y * width + x;
                if (mask[p] == 0 || mask[p + 1] == 0 || mask[p + width] == 0)
                    continue;
                sum += Square(luma[p + 1] - luma[p]) + Square(luma[p + width] - luma[p]);
                count++;
            }
        return sum / count;
    }

    // Mean variance of luma over 5x5 windows lying wholly inside the mask.
    private static double LocalVariance(byte[] rgba, byte[] mask, int width, int height)
    {
        double[] luma = Luma(rgba);
        double total = 0;
        int windows = 0;
        for (int y = 2; y < height - 2; y++)
            for (int x = 2; x < width - 2; x++)
            {
                double sum = 0, squares = 0;
                bool inside = true;
                for (int dy = -2; dy <= 2 && inside; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                    {
                        int p = (y + dy) * width + x + dx;
                        inside &= mask[p] != 0;
                        sum += luma[p];
                        squares += luma[p] * luma[p];
                    }
                if (!inside)
                    continue;
                total += squares / 25 - Square(sum / 25);
                windows++;
            }
        return total / windows;
    }

    private static double MeanLuma(byte[] rgba, byte[] mask)
    {
        double[] luma = Luma(rgba);
        return Enumerable.Range(0, mask.Length).Where(p => mask[p] != 0).Average(p => luma[p]);
    }

    private static double[] Luma(byte[] rgba)
    {
        var luma = new double[rgba.Length / 4];
        for (int p = 0; p < luma.Length; p++)
            luma[p] = 0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2];
        return luma;
    }

    private static double Square(double value) => value * value;
}
