using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

public sealed class ComposeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Side = 128;

    // The photo's own middle, 40 levels brighter, pasted back over it: a seamless compose must undo the shift.
    // The photo's levels are first squeezed into 0..200, so the brighter copy loses nothing to clipping.
    private static (RgbaPicture Background, RgbaPicture Object, byte[] Disc) BrightenedPatch()
    {
        var photo = Pictures.Centre("coffee.png", Side);
        var background = photo with { Rgba = photo.Rgba.Select((v, i) => i % 4 == 3 ? v : (byte)(v * 200 / 255)).ToArray() };
        var disc = Pictures.Disc(Side, Side, 60, 66, 30);
        var layer = new byte[background.Rgba.Length];
        for (int p = 0; p < disc.Length; p++)
        {
            if (disc[p] == 0)
                continue;
            for (int c = 0; c < 3; c++)
                layer[p * 4 + c] = (byte)Math.Min(255, background.Rgba[p * 4 + c] + 40);
            layer[p * 4 + 3] = 255;
        }

        return (background, new RgbaPicture(Side, Side, layer), disc);
    }

    [Theory]
    [InlineData("seamless", 35.0)]
    [InlineData("mixed", 30.0)]
    [InlineData("paste", 28.0)]
    public void A_shifted_copy_of_the_picture_blends_back_into_it(string method, double floor)
    {
        var (background, layer, disc) = BrightenedPatch();

        var result = EngineRun.Run("compose", background, parameters: new() { ["method"] = method }, inputs: new() { ["object"] = layer });

        double ours = QualityMetrics.Psnr(background.Rgba, result.Image.Pixels, disc);
        double naive = QualityMetrics.Psnr(background.Rgba, layer.Rgba, disc);
        output.WriteLine($"{method}: PSNR in the object {ours:F1} dB, plain paste {naive:F1} dB");
        // Poisson cloning a picture's own gradients with its own border gives it back (up to rounding and
        // the clipped highlights); the mean shift alone recovers most of a uniform offset.
        Assert.True(ours >= floor, $"{method}: {ours:F1} dB inside the object (plain paste {naive:F1} dB)");
        Assert.True(naive < 20, "the test's damage is too small to prove anything");
    }

    [Theory]
    [InlineData("seamless")]
    [InlineData("mixed")]
    [InlineData("paste")]
    public void Pixels_away_from_the_object_stay_exactly_as_they_were(string method)
    {
        var background = Pictures.Centre("coffee.png", Side);
        var cat = Pictures.Centre("chelsea.png", Side);
        var disc = Pictures.Disc(Side, Side, 70, 50, 25);
        var layer = (byte[])cat.Rgba.Clone();
        for (int p = 0; p < disc.Length; p++)
            layer[p * 4 + 3] = disc[p];

        var result = EngineRun.Run("compose", background, parameters: new() { ["method"] = method }, inputs: new() { ["object"] = new RgbaPicture(Side, Side, layer) }).Image.Pixels;

        var near = Pictures.Disc(Side, Side, 70, 50, 25 + 4);
        for (int p = 0; p < near.Length; p++)
        {
            if (near[p] == 0)
                Assert.True(result.AsSpan(p * 4, 4).SequenceEqual(background.Rgba.AsSpan(p * 4, 4)), $"pixel {p % Side},{p / Side} changed");
        }

        Assert.True(Pictures.MeanAbsoluteDifference(result, background.Rgba, disc) > 10, "the object was not put in");
    }

    [Fact]
    public void Colour_matching_shrinks_the_step_at_the_seam()
    {
        var background = Pictures.Centre("coffee.png", Side);
        var cat = Pictures.Centre("chelsea.png", Side);
        var disc = Pictures.Disc(Side, Side, 64, 64, 30);
        var layer = (byte[])cat.Rgba.Clone();
        for (int p = 0; p < disc.Length; p++)
            layer[p * 4 + 3] = disc[p];
        var pasted = (byte[])background.Rgba.Clone();
        for (int p = 0; p < disc.Length; p++)
        {
            if (disc[p] != 0)
                Buffer.BlockCopy(layer, p * 4, pasted, p * 4, 3);
        }

        var result = EngineRun.Run("compose", background, inputs: new() { ["object"] = new RgbaPicture(Side, Side, layer) }).Image.Pixels;

        double plain = SeamStep(pasted), ours = SeamStep(result);
        output.WriteLine($"mean luma step across the seam: plain paste {plain:F1}, seamless {ours:F1}");
        Assert.True(ours < 0.5 * plain, $"seam step {ours:F1} vs {plain:F1} for a plain paste");
    }

    [Fact]
    public void Bad_requests_are_refused_naming_the_field()
    {
        var background = Pictures.Centre("coffee.png", 32);
        Assert.Contains("fully transparent", EngineRun.Refusal("inputs.object", "compose", background, inputs: new() { ["object"] = Pictures.Transparent(32, 32) }).Message);
        Assert.Contains("fully transparent", EngineRun.Refusal("layer", "compose", Pictures.Transparent(32, 32), inputs: new() { ["object"] = background }).Message);
        Assert.Contains("missing", EngineRun.Refusal("inputs.object", "compose", background).Message);
        var inSelection = new byte[32 * 32];
        inSelection[0] = 255;
        var corner = Pictures.Transparent(32, 32);
        corner.Rgba[(20 * 32 + 20) * 4 + 3] = 255;
        Assert.Contains("inside the selection", EngineRun.Refusal("inputs.object", "compose", background, inSelection, inputs: new() { ["object"] = corner }).Message);
    }

    [Fact]
    public void A_cancel_at_a_progress_report_ends_the_run_before_any_more_work()
    {
        var big = Pictures.Resized(TestPictures.Load("astronaut.png"), 1024, 1024, OpenCvSharp.InterpolationFlags.Linear);
        var layer = (byte[])Pictures.Resized(TestPictures.Load("camera.png"), 1024, 1024, OpenCvSharp.InterpolationFlags.Linear).Rgba.Clone();
        var disc = Pictures.Disc(big.Width, big.Height, 512, 512, 400);
        for (int p = 0; p < disc.Length; p++)
            layer[p * 4 + 3] = disc[p];
        var request = EngineRun.Request("compose", big, inputs: new() { ["object"] = new RgbaPicture(big.Width, big.Height, layer) });

        Assert.Equal(0, EngineRun.ReportsAfterCancel(request));
    }

    // Mean luma difference between pixels just inside and just outside the circle of radius 30 at (64, 64).
    private static double SeamStep(byte[] rgba)
    {
        var picture = new RgbaPicture(Side, Side, rgba);
        double sum = 0;
        int n = 0;
        for (int a = 0; a < 360; a += 3)
        {
            double t = a * Math.PI / 180;
            int ix = (int)Math.Round(64 + 27 * Math.Cos(t)), iy = (int)Math.Round(64 + 27 * Math.Sin(t));
            int ox = (int)Math.Round(64 + 33 * Math.Cos(t)), oy = (int)Math.Round(64 + 33 * Math.Sin(t));
            sum += Math.Abs(Pictures.Luma(picture, ix, iy) - Pictures.Luma(picture, ox, oy));
            n++;
        }

        return sum / n;
    }
}
