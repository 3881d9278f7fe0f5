using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

public sealed class SegmentTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// A subject with a known outline: the horse silhouette (horse.png) cut out of the coffee photo
    /// (warm colours) over the grass photo (grey), at half size (200x164). GrabCut separates by colour
    /// models: a subject as brown as its background (the cat over the coffee table) gives an IoU of
    /// only 0.57 with a box, which is GrabCut's limit, not this engine's.
    /// </summary>
    private static (RgbaPicture Picture, byte[] Truth) Horse()
    {
        var silhouette = Pictures.Resized(TestPictures.Load("horse.png"), 200, 164, OpenCvSharp.InterpolationFlags.Area);
        var fur = Pictures.Resized(TestPictures.Load("coffee.png"), 200, 164, OpenCvSharp.InterpolationFlags.Area);
        var ground = Pictures.Resized(TestPictures.Load("grass.png"), 200, 164, OpenCvSharp.InterpolationFlags.Area);
        var truth = new byte[200 * 164];
        var rgba = (byte[])ground.Rgba.Clone();
        for (int p = 0; p < truth.Length; p++)
        {
            if (silhouette.Rgba[p * 4] >= 128)
                continue;
            truth[p] = 255;
            Buffer.BlockCopy(fur.Rgba, p * 4, rgba, p * 4, 4);
        }

        return (new RgbaPicture(200, 164, rgba), truth);
    }

    [Fact]
    public void A_box_around_the_subject_selects_it()
    {
        var (picture, truth) = Horse();
        var (x, y, w, h) = Bounds(truth, 200);

        var result = EngineRun.Run("segment", picture, parameters: new() { ["x"] = x - 4.0, ["y"] = y - 4.0, ["width"] = w + 8.0, ["height"] = h + 8.0 });

        double iou = Iou(result.Mask!.Coverage, truth);
        output.WriteLine($"box: IoU {iou:F3}");
        Assert.True(iou >= 0.9, $"IoU {iou:F3} with the true outline");
        Assert.Equal(picture.Rgba, result.Image.Pixels);
    }

    [Fact]
    public void A_click_on_the_subject_selects_it()
    {
        var (picture, truth) = Horse();

        // the horse's chest, well inside the body
        var result = EngineRun.Run("segment", picture, parameters: new() { ["x"] = 110.0, ["y"] = 70.0 });

        Assert.Equal(255, truth[70 * 200 + 110]);
        double iou = Iou(result.Mask!.Coverage, truth);
        output.WriteLine($"point: IoU {iou:F3}");
        Assert.True(iou >= 0.8, $"IoU {iou:F3} with the true outline");
    }

    [Fact]
    public void A_selection_limits_what_can_be_selected()
    {
        var (picture, truth) = Horse();
        var left = Pictures.Rectangle(200, 164, 0, 0, 100, 164);

        var result = EngineRun.Run(EngineRun.Request("segment", picture, left, new() { ["x"] = 60.0, ["y"] = 70.0 }));
        output.WriteLine($"left half: IoU {Iou(result.Mask!.Coverage, truth.Select((t, p) => left[p] == 0 ? (byte)0 : t).ToArray()):F3}");

        for (int p = 0; p < left.Length; p++)
        {
            if (left[p] == 0)
                Assert.Equal(0, result.Mask!.Coverage[p]);
        }

        var leftTruth = truth.Select((t, p) => left[p] == 0 ? (byte)0 : t).ToArray();
        Assert.True(Iou(result.Mask!.Coverage, leftTruth) >= 0.75);
    }

    [Fact]
    public void Bad_requests_are_refused_naming_the_field()
    {
        var photo = Pictures.Centre("coins.png", 64);
        Assert.Contains("outside the area", EngineRun.Refusal("x", "segment", photo, parameters: new() { ["x"] = -3.0, ["y"] = 5.0 }).Message);
        Assert.Contains("outside the area", EngineRun.Refusal("width", "segment", photo, parameters: new() { ["x"] = 70.0, ["y"] = 5.0, ["width"] = 10.0, ["height"] = 10.0 }).Message);
        var holed = photo with { Rgba = (byte[])photo.Rgba.Clone() };
        holed.Rgba[(5 * 64 + 5) * 4 + 3] = 0;
        Assert.Contains("transparent pixel", EngineRun.Refusal("x", "segment", holed, parameters: new() { ["x"] = 5.0, ["y"] = 5.0 }).Message);
        Assert.Contains("fully transparent", EngineRun.Refusal("layer", "segment", Pictures.Transparent(16, 16), parameters: new() { ["x"] = 5.0, ["y"] = 5.0 }).Message);
        Assert.Contains("too small", EngineRun.Refusal("mask", "segment", Pictures.Centre("coins.png", 2), parameters: new() { ["x"] = 1.0, ["y"] = 1.0 }).Message);
    }

    [Fact]
    public void A_cancel_at_a_progress_report_ends_the_run_before_any_more_work()
    {
        var request = EngineRun.Request("segment", Pictures.Centre("astronaut.png", 512), parameters: new() { ["x"] = 256.0, ["y"] = 200.0, ["iterations"] = 20 });

        Assert.Equal(0, EngineRun.ReportsAfterCancel(request));
    }

    private static double Iou(byte[] found, byte[] truth)
    {
        int both = 0, either = 0;
        for (int p = 0; p < truth.Length; p++)
        {
            bool a = found[p] >= 128, b = truth[p] >= 128;
            both += a && b ? 1 : 0;
            either += a || b ? 1 : 0;
        }

        return (double)both / either;
    }

    private static (int X, int Y, int Width, int Height) Bounds(byte[] mask, int width)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = 0, maxY = 0;
        for (int p = 0; p < mask.Length; p++)
        {
            if (mask[p] == 0)
                continue;
            minX = Math.Min(minX, p % width);
            maxX = Math.Max(maxX, p % width);
            minY = Math.Min(minY, p / width);
            maxY = Math.Max(maxY, p / width);
        }

        return (minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
