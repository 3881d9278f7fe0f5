using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

public sealed class SelectionMaskTests
{
    [Fact]
    public void Growing_selects_what_lies_within_the_radius_and_nothing_beyond()
    {
        var random = new Random(3);
        for (int i = 0; i < 60; i++)
        {
            var layer = new PixelRect(0, 0, 48, 40);
            var mask = RandomLayers.Mask(random, layer);
            int grow = random.Next(1, 8);
            var grown = mask.Grow(grow, layer);
            var selected = Pixels(layer).Where(p => mask.At(p.X, p.Y) > 0).ToList();
            if (selected.Count == 0)
                continue;
            foreach (var (x, y) in Pixels(layer))
            {
                double d = selected.Min(s => Math.Sqrt((s.X - x) * (s.X - x) + (s.Y - y) * (s.Y - y)));
                byte g = grown.At(x, y);
                if (d > grow)
                    Assert.True(g == 0, $"({x},{y}) at {d:0.00} > {grow} got selected");
                else if (d <= grow / 1.0824)
                    Assert.True(g > 0, $"({x},{y}) at {d:0.00} <= {grow} was left out");
            }
        }
    }

    [Fact]
    public void Growing_a_picture_sized_mask_works_on_its_selected_box_only_and_selects_the_same_pixels()
    {
        // the CLI's mask files are picture-sized; the editors send tight masks: both must grow alike
        var random = new Random(99);
        for (int i = 0; i < 60; i++)
        {
            var picture = new PixelRect(0, 0, random.Next(60, 100), random.Next(60, 100));
            var blob = RandomLayers.Mask(random, new PixelRect(random.Next(0, 10), random.Next(0, 10), 10, 10));
            if (blob.SelectedBounds().IsEmpty)
                continue;
            var full = new SelectionMask(picture, blob.CoverageIn(picture));
            int g = random.Next(0, 9);

            var grown = full.Grow(g, picture);
            var tight = full.Trimmed().Grow(g, picture);

            // the same selection as growing over the whole picture (what Grow did before it worked on the selected box)
            var coverage = full.Coverage;
            var distance = DistanceField.ToNearest(picture.Width, picture.Height, p => coverage[p] > 0);
            var expected = new byte[picture.Area];
            for (int p = 0; p < expected.Length; p++)
                expected[p] = g > 0 && distance[p] <= g ? (byte)255 : coverage[p];

            Assert.Equal(expected, grown.CoverageIn(picture));
            Assert.Equal(expected, tight.CoverageIn(picture));
            // cheaper: the distance field covers the selected box grown by g, not the picture
            Assert.True(grown.Bounds.Area <= full.SelectedBounds().Inflate(g).Area, $"grew over {grown.Bounds}");
            Assert.True(grown.Bounds.Area < picture.Area / 2, $"case {i}: {grown.Bounds} of {picture}");
        }
    }

    [Fact]
    public void Selected_bounds_are_the_tight_box_of_non_zero_coverage()
    {
        var coverage = new byte[10 * 6];
        coverage[2 * 10 + 3] = 1;
        coverage[4 * 10 + 7] = 200;
        var mask = new SelectionMask(new PixelRect(-5, 5, 10, 6), coverage);
        Assert.Equal(new PixelRect(-2, 7, 5, 3), mask.SelectedBounds());
        Assert.True(new SelectionMask(new PixelRect(0, 0, 3, 3), new byte[9]).SelectedBounds().IsEmpty);
    }

    [Fact]
    public void Context_crop_stays_inside_the_layer_and_holds_the_selection()
    {
        var random = new Random(11);
        for (int i = 0; i < 500; i++)
        {
            var layer = new PixelRect(random.Next(-100, 100), random.Next(-100, 100), random.Next(1, 300), random.Next(1, 300));
            int w = random.Next(1, layer.Width + 1), h = random.Next(1, layer.Height + 1);
            var selection = new PixelRect(layer.X + random.Next(layer.Width - w + 1), layer.Y + random.Next(layer.Height - h + 1), w, h);
            var settings = RandomLayers.Geometry(random);
            var context = ContextCrop.Around(selection, layer, settings);
            Assert.True(layer.Contains(context));
            Assert.True(context.Contains(selection));
            Assert.True(context.X >= selection.X - settings.ContextMaxPixels && context.Right <= selection.Right + settings.ContextMaxPixels);
        }
    }

    [Theory]
    [InlineData(1000, 500, 512, 8, 512, 256)]
    [InlineData(100, 60, 0, 8, 96, 64)]
    [InlineData(3, 3, 0, 8, 8, 8)]
    [InlineData(700, 300, 0, 1, 700, 300)]
    [InlineData(2000, 10, 512, 64, 512, 64)]
    public void Work_scale_fits_the_side_limit_and_the_multiple(int w, int h, int maxSide, int multiple, int ew, int eh) =>
        Assert.Equal((ew, eh), WorkScale.Fit(w, h, maxSide, multiple));

    private static IEnumerable<(int X, int Y)> Pixels(PixelRect r)
    {
        for (int y = r.Y; y < r.Bottom; y++)
            for (int x = r.X; x < r.Right; x++)
                yield return (x, y);
    }
}
