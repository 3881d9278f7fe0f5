using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

public sealed class SelectionWorkAreaTests
{
    private const int Cases = 400;

    [Fact]
    public void Pixels_outside_the_grown_selection_come_back_bit_identical()
    {
        var random = new Random(20261125);
        int checkedCases = 0;
        for (int i = 0; i < Cases; i++)
        {
            var layer = RandomLayers.Layer(random);
            var mask = RandomLayers.Mask(random, layer.Bounds);
            if (mask.SelectedBounds().IsEmpty)
                continue;
            var settings = RandomLayers.Geometry(random);
            int maxSide = random.Next(2) == 0 ? 0 : random.Next(4, 40);
            var area = SelectionWorkArea.Plan(layer, mask, settings, maxSide, random.Next(1, 9));
            var engineOutput = new byte[area.WorkWidth * area.WorkHeight * 4];
            random.NextBytes(engineOutput);

            var result = area.Compose(engineOutput);

            var grown = mask.Grow(settings.GrowPixels, layer.Bounds);
            Assert.Equal(grown.SelectedBounds(), result.Bounds);
            Assert.True(layer.Bounds.Contains(result.Bounds));
            Assert.Equal(layer.Format, result.Format);
            AssertUnchangedWhereUnselected(layer, result, grown, $"case {i}: {layer.Bounds} {layer.Format} mask {mask.Bounds} {settings}");
            checkedCases++;
        }

        Assert.True(checkedCases > Cases / 2, $"only {checkedCases} cases had a selection");
    }

    [Fact]
    public void Without_growing_pixels_outside_the_painters_own_selection_are_untouched()
    {
        var random = new Random(7);
        for (int i = 0; i < Cases; i++)
        {
            var layer = RandomLayers.Layer(random);
            var mask = RandomLayers.Mask(random, layer.Bounds);
            if (mask.SelectedBounds().IsEmpty)
                continue;
            var settings = RandomLayers.Geometry(random) with { GrowPixels = 0 };
            var area = SelectionWorkArea.Plan(layer, mask, settings, 0, 1);
            var output = new byte[area.WorkWidth * area.WorkHeight * 4];
            random.NextBytes(output);
            AssertUnchangedWhereUnselected(layer, area.Compose(output), mask, $"case {i}");
        }
    }

    [Fact]
    public void Deep_inside_the_selection_the_engine_pixels_are_taken()
    {
        var layer = new Raster(new PixelRect(10, 20, 40, 30), PixelFormat.Rgba8, Enumerable.Repeat((byte)255, 40 * 30 * 4).ToArray());
        var mask = new SelectionMask(new PixelRect(20, 25, 20, 20), Enumerable.Repeat((byte)255, 400).ToArray());
        var area = SelectionWorkArea.Plan(layer, mask, new GeometrySettings(GrowPixels: 0, FeatherPixels: 4), 0, 1);
        var output = new byte[area.WorkWidth * area.WorkHeight * 4];
        for (int p = 0; p < output.Length / 4; p++)
            (output[p * 4], output[p * 4 + 1], output[p * 4 + 2], output[p * 4 + 3]) = ((byte)10, (byte)200, (byte)30, (byte)255);

        var result = area.Compose(output);

        Assert.Equal(new PixelRect(20, 25, 20, 20), result.Bounds);
        int centre = (10 * 20 + 10) * 4;
        Assert.Equal(new byte[] { 10, 200, 30, 255 }, result.Data[centre..(centre + 4)]);
        // at the selection border the feather keeps most of the original
        Assert.True(result.Data[0] > 200, $"border pixel red {result.Data[0]} should stay close to the original 255");
    }

    [Fact]
    public void The_engine_sees_the_context_around_the_selection_at_its_working_size()
    {
        var layer = new Raster(new PixelRect(0, 0, 1000, 800), PixelFormat.Rgba8, new byte[1000 * 800 * 4]);
        var mask = new SelectionMask(new PixelRect(400, 300, 100, 50), Enumerable.Repeat((byte)255, 5000).ToArray());
        var settings = new GeometrySettings(ContextMarginPercent: 50, ContextMinPixels: 10, ContextMaxPixels: 200, GrowPixels: 0, FeatherPixels: 0);

        var area = SelectionWorkArea.Plan(layer, mask, settings, maxWorkingSide: 100, sizeMultiple: 8);

        Assert.Equal(new PixelRect(350, 250, 200, 150), area.Context);
        Assert.Equal((96, 72), (area.WorkWidth, area.WorkHeight));
        Assert.Equal(area.WorkWidth * area.WorkHeight * 4, area.WorkImage().Length);
        var hole = area.WorkHole()!;
        Assert.Equal(255, hole[36 * 96 + 48]);
        Assert.Equal(0, hole[0]);
    }

    [Fact]
    public void An_empty_selection_or_a_mask_outside_the_layer_is_refused()
    {
        var layer = new Raster(new PixelRect(0, 0, 8, 8), PixelFormat.Rgba8, new byte[256]);
        var empty = new SelectionMask(new PixelRect(0, 0, 4, 4), new byte[16]);
        var outside = new SelectionMask(new PixelRect(6, 6, 4, 4), Enumerable.Repeat((byte)255, 16).ToArray());

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => SelectionWorkArea.Plan(layer, empty, GeometrySettings.Default, 0, 1)).Message);
        Assert.Contains("not inside", Assert.Throws<ArgumentException>(() => SelectionWorkArea.Plan(layer, outside, GeometrySettings.Default, 0, 1)).Message);
    }

    private static void AssertUnchangedWhereUnselected(Raster layer, Raster result, SelectionMask selection, string what)
    {
        int bpp = layer.Format.BytesPerPixel();
        var original = layer.Crop(result.Bounds);
        var coverage = selection.CoverageIn(result.Bounds);
        for (int p = 0; p < coverage.Length; p++)
        {
            if (coverage[p] != 0)
                continue;
            if (!original.Data.AsSpan(p * bpp, bpp).SequenceEqual(result.Data.AsSpan(p * bpp, bpp)))
                Assert.Fail($"{what}: unselected pixel {p % result.Bounds.Width},{p / result.Bounds.Width} changed");
        }
    }
}
