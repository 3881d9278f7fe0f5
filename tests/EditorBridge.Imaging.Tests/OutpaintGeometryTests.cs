using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

/// <summary>
/// Outpainting (GeometrySettings.Outpaint): a selection past the layer's edges grows the layer to the
/// bounding box of both, the new area is part of the hole, the result reaches into it, and every
/// pixel outside the grown selection comes back bit-identical (the new, unselected ones transparent).
/// </summary>
public sealed class OutpaintGeometryTests
{
    private static readonly GeometrySettings Outpaint = GeometrySettings.Default with { Outpaint = true };

    [Fact]
    public void A_band_right_of_the_layer_grows_it_by_exactly_the_band()
    {
        var layer = Solid(new PixelRect(0, 0, 64, 48), 200);
        var band = Full(new PixelRect(64, 0, 32, 48));

        var area = SelectionWorkArea.Plan(layer, band, Outpaint, 0, 1);

        Assert.Equal(new PixelRect(0, 0, 96, 48), area.Layer.Bounds);
        Assert.Equal(new PixelRect(60, 0, 36, 48), area.ResultBounds); // the band grown 4 into the layer
        Assert.Equal(new PixelRect(28, 0, 68, 48), area.Context); // margin round(48 × 0.4) = 19, raised to the minimum 32
        var hole = area.WorkHole()!;
        // the whole band is hole; the layer left of the grown band is known
        Assert.All(Enumerable.Range(0, 48), y => Assert.Equal(255, hole[y * area.WorkWidth + area.WorkWidth - 1]));
        Assert.Equal(0, hole[0]);
    }

    [Fact]
    public void Pixels_outside_the_grown_selection_stay_bit_identical_and_the_result_covers_the_new_area()
    {
        var random = new Random(20261207);
        int cases = 0;
        for (int i = 0; i < 300; i++)
        {
            var layer = RandomLayers.Layer(random);
            var mask = OutsideMask(random, layer.Bounds);
            var settings = RandomLayers.Geometry(random) with { Outpaint = true };
            var area = SelectionWorkArea.Plan(layer, mask, settings, random.Next(2) == 0 ? 0 : random.Next(8, 40), random.Next(1, 9));
            var engine = new byte[area.WorkWidth * area.WorkHeight * 4];
            random.NextBytes(engine);

            var result = area.Compose(engine);

            var canvas = layer.Bounds.Union(mask.SelectedBounds());
            var grown = mask.Grow(settings.GrowPixels, canvas);
            Assert.Equal(canvas, area.Layer.Bounds);
            Assert.Equal(grown.SelectedBounds(), result.Bounds);
            Assert.True(result.Bounds.Contains(mask.SelectedBounds()), $"case {i}: result {result.Bounds} misses selection {mask.SelectedBounds()}");
            var before = layer.Extend(canvas).Crop(result.Bounds);
            var coverage = grown.CoverageIn(result.Bounds);
            int bpp = layer.Format.BytesPerPixel();
            for (int p = 0; p < coverage.Length; p++)
            {
                if (coverage[p] == 0 && !before.Data.AsSpan(p * bpp, bpp).SequenceEqual(result.Data.AsSpan(p * bpp, bpp)))
                    Assert.Fail($"case {i}: unselected pixel {p} changed ({layer.Bounds}, mask {mask.Bounds}, {settings})");
            }

            cases++;
        }

        Assert.Equal(300, cases);
    }

    [Fact]
    public void The_published_rule_names_the_same_rectangles_and_the_crop_lies_on_the_layer()
    {
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var layer = RandomLayers.Layer(random);
            var mask = OutsideMask(random, layer.Bounds);
            var settings = RandomLayers.Geometry(random) with { Outpaint = true };
            var area = SelectionWorkArea.Plan(layer, mask, settings, 0, 1);
            var plan = ContextCrop.Plan(mask.SelectedBounds(), layer.Bounds, settings);
            Assert.Equal(area.ResultBounds, plan.Result);
            Assert.Equal(area.Context, plan.Context);
            Assert.True(layer.Bounds.Contains(plan.Crop), $"case {i}: crop {plan.Crop} leaves the layer {layer.Bounds}");

            // a client that sends only the crop gets the pixels the whole layer gives
            var engine = new byte[area.WorkWidth * area.WorkHeight * 4];
            random.NextBytes(engine);
            var whole = area.Compose(engine);
            var fromCrop = SelectionWorkArea.Plan(layer.Crop(plan.Crop), mask, settings, 0, 1).Compose(engine);
            Assert.Equal(whole.Bounds, fromCrop.Bounds);
            Assert.Equal(whole.Data, fromCrop.Data);
        }
    }

    [Fact]
    public void Without_outpainting_a_selection_past_the_layer_is_refused_and_a_far_one_always()
    {
        var layer = Solid(new PixelRect(0, 0, 32, 32), 10);
        Assert.Throws<ArgumentException>(() => SelectionWorkArea.Plan(layer, Full(new PixelRect(30, 0, 8, 8)), GeometrySettings.Default, 0, 1));
        var far = Assert.Throws<ArgumentException>(() => SelectionWorkArea.Plan(layer, Full(new PixelRect(40, 0, 8, 8)), Outpaint, 0, 1));
        Assert.Contains("neither overlaps nor touches", far.Message);
        // touching at a corner is enough
        Assert.Equal(new PixelRect(0, 0, 40, 40), ContextCrop.Canvas(layer.Bounds, new PixelRect(32, 32, 8, 8), outpaint: true));
    }

    [Fact]
    public void Extend_keeps_the_pixels_and_makes_the_new_ones_transparent()
    {
        var layer = Solid(new PixelRect(5, 5, 2, 2), 77);
        var grown = layer.Extend(new PixelRect(4, 5, 4, 3));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 77, 77, 77, 77, 77, 77, 77, 77, 0, 0, 0, 0 }, grown.Data[..16]);
        Assert.All(grown.Data[32..], b => Assert.Equal(0, b));
        Assert.Same(layer, layer.Extend(layer.Bounds));
        Assert.Throws<ArgumentException>(() => layer.Extend(new PixelRect(6, 5, 4, 4)));
    }

    // A mask whose selected pixels lie partly or wholly past one or two edges, touching the layer.
    private static SelectionMask OutsideMask(Random random, PixelRect layer)
    {
        int w = random.Next(1, 40), h = random.Next(1, 40);
        int x = random.Next(4) switch
        {
            0 => layer.X - w + random.Next(0, Math.Min(w, layer.Width) + 1),
            1 => layer.Right - random.Next(0, Math.Min(w, layer.Width) + 1),
            _ => layer.X + random.Next(Math.Max(1, layer.Width - w + 1)),
        };
        int y = random.Next(3) switch
        {
            0 => layer.Y - h + random.Next(0, Math.Min(h, layer.Height) + 1),
            1 => layer.Bottom - random.Next(0, Math.Min(h, layer.Height) + 1),
            _ => layer.Y + random.Next(Math.Max(1, layer.Height - h + 1)),
        };
        var coverage = new byte[w * h];
        for (int p = 0; p < coverage.Length; p++)
            coverage[p] = (byte)(random.Next(3) == 0 ? random.Next(256) : 255);
        coverage[random.Next(coverage.Length)] = 255;
        return new SelectionMask(new PixelRect(x, y, w, h), coverage);
    }

    private static Raster Solid(PixelRect bounds, byte value) =>
        new(bounds, PixelFormat.Rgba8, Enumerable.Repeat(value, (int)bounds.Area * 4).ToArray());

    private static SelectionMask Full(PixelRect bounds) => new(bounds, Enumerable.Repeat((byte)255, (int)bounds.Area).ToArray());
}
