using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

/// <summary>
/// The published context rule (<see cref="ContextCrop.Plan"/>, GetInfo's ContextRule) is the
/// daemon's real behaviour: it names the work area <see cref="SelectionWorkArea"/> uses, and a
/// client that sends only its crop gets the pixels it would get by sending the whole layer.
/// </summary>
public sealed class ContextCropTests
{
    [Fact]
    public void A_worked_example_with_the_default_settings()
    {
        var plan = ContextCrop.Plan(new PixelRect(200, 100, 100, 50), new PixelRect(0, 0, 1000, 800), GeometrySettings.Default);
        Assert.Equal(new PixelRect(196, 96, 108, 58), plan.Result); // grown by 4
        Assert.Equal(43, plan.Margin); // round(108 × 0.40 = 43.2), inside 32..512
        Assert.Equal(new PixelRect(153, 53, 194, 144), plan.Crop);
        Assert.Equal(plan.Crop, plan.Context);
        // near the canvas edge the result is cut first, and the margin follows its cut size
        var corner = ContextCrop.Plan(new PixelRect(0, 0, 10, 300), new PixelRect(0, 0, 1000, 800), GeometrySettings.Default);
        Assert.Equal(new PixelRect(0, 0, 14, 304), corner.Result);
        Assert.Equal(122, corner.Margin); // round(304 × 0.4 = 121.6)
        Assert.Equal(new PixelRect(0, 0, 136, 426), corner.Crop);
    }

    [Fact]
    public void A_zero_margin_still_sends_the_ring_around_the_result()
    {
        var settings = new GeometrySettings(ContextMarginPercent: 0, ContextMinPixels: 0, ContextMaxPixels: 0, GrowPixels: 0);
        var plan = ContextCrop.Plan(new PixelRect(10, 10, 5, 5), new PixelRect(0, 0, 100, 100), settings);
        Assert.Equal(new PixelRect(10, 10, 5, 5), plan.Context);
        Assert.Equal(new PixelRect(9, 9, 7, 7), plan.Crop);
    }

    [Fact]
    public void The_rule_names_the_work_area_the_daemon_uses()
    {
        var random = new Random(20261207);
        int checkedCases = 0;
        for (int i = 0; i < 400; i++)
        {
            var layer = RandomLayers.Layer(random);
            var mask = RandomLayers.Mask(random, layer.Bounds);
            var selected = mask.SelectedBounds();
            if (selected.IsEmpty)
                continue;
            var settings = RandomLayers.Geometry(random);
            var area = SelectionWorkArea.Plan(layer, mask, settings, 0, 1);
            var plan = ContextCrop.Plan(selected, layer.Bounds, settings);
            Assert.Equal(area.ResultBounds, plan.Result);
            Assert.Equal(area.Context, plan.Context);
            Assert.True(plan.Crop.Contains(plan.Context) && layer.Bounds.Contains(plan.Crop), $"case {i}");
            checkedCases++;
        }

        Assert.True(checkedCases > 200, $"only {checkedCases} cases had a selection");
    }

    [Fact]
    public void Sending_only_the_crop_gives_the_pixels_of_the_whole_layer()
    {
        var random = new Random(4242);
        for (int i = 0; i < 400; i++)
        {
            var (layer, mask, settings, maxSide, multiple) = Case(random);
            if (mask is null)
                continue;
            var plan = ContextCrop.Plan(mask.SelectedBounds(), layer.Bounds, settings);
            var whole = Run(layer, mask, settings, maxSide, multiple);
            var cropped = Run(layer.Crop(plan.Crop), mask, settings, maxSide, multiple);
            Assert.Equal(whole.Bounds, cropped.Bounds);
            Assert.True(whole.Data.AsSpan().SequenceEqual(cropped.Data), $"case {i}: {layer.Bounds} mask {mask.Bounds} crop {plan.Crop} {settings}");
        }
    }

    [Fact]
    public void Guard_a_crop_one_pixel_short_of_the_rule_changes_some_results()
    {
        var random = new Random(4242);
        int differing = 0;
        for (int i = 0; i < 400; i++)
        {
            var (layer, mask, settings, maxSide, multiple) = Case(random);
            if (mask is null)
                continue;
            var crop = ContextCrop.Plan(mask.SelectedBounds(), layer.Bounds, settings).Crop;
            if (crop.Right == layer.Bounds.Right || crop.Width < 2)
                continue;
            var shorter = crop with { Width = crop.Width - 1 };
            if (!shorter.Contains(mask.Grow(settings.GrowPixels, layer.Bounds).SelectedBounds()))
                continue;
            var whole = Run(layer, mask, settings, maxSide, multiple);
            var cropped = Run(layer.Crop(shorter), mask, settings, maxSide, multiple);
            if (whole.Bounds != cropped.Bounds || !whole.Data.AsSpan().SequenceEqual(cropped.Data))
                differing++;
        }

        Assert.True(differing > 20, $"only {differing} cases noticed a crop one pixel short");
    }

    private static (Raster Layer, SelectionMask? Mask, GeometrySettings Settings, int MaxSide, int Multiple) Case(Random random)
    {
        var layer = RandomLayers.Layer(random);
        var mask = RandomLayers.Mask(random, layer.Bounds);
        var settings = RandomLayers.Geometry(random);
        int maxSide = random.Next(2) == 0 ? 0 : random.Next(4, 40);
        int multiple = random.Next(1, 9);
        // clients send the mask cut to its selected pixels' box
        var selected = mask.SelectedBounds();
        return (layer, selected.IsEmpty ? null : new SelectionMask(selected, mask.CoverageIn(selected)), settings, maxSide, multiple);
    }

    /// <summary>A job with a deterministic stand-in engine whose answer depends on every work pixel's place.</summary>
    private static Raster Run(Raster layer, SelectionMask mask, GeometrySettings settings, int maxSide, int multiple)
    {
        var area = SelectionWorkArea.Plan(layer, mask, settings, maxSide, multiple);
        var work = area.WorkImage();
        var output = new byte[work.Length];
        for (int i = 0; i < work.Length; i++)
            output[i] = (byte)(255 - work[i] + i / 4 % area.WorkWidth);
        return area.Compose(output);
    }
}
