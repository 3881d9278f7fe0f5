using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

/// <summary>Seeded generators of layers and selections for property tests.</summary>
internal static class RandomLayers
{
    public static Raster Layer(Random random, PixelFormat? format = null)
    {
        var f = format ?? (random.Next(2) == 0 ? PixelFormat.Rgba8 : PixelFormat.Rgba16);
        var bounds = new PixelRect(random.Next(-50, 50), random.Next(-50, 50), random.Next(1, 72), random.Next(1, 72));
        var data = new byte[bounds.Area * f.BytesPerPixel()];
        random.NextBytes(data);
        return new Raster(bounds, f, data);
    }

    /// <summary>A mask inside <paramref name="layer"/> with a few soft-edged blobs; may come out empty.</summary>
    public static SelectionMask Mask(Random random, PixelRect layer)
    {
        int w = random.Next(1, layer.Width + 1), h = random.Next(1, layer.Height + 1);
        var bounds = new PixelRect(layer.X + random.Next(layer.Width - w + 1), layer.Y + random.Next(layer.Height - h + 1), w, h);
        var coverage = new byte[bounds.Area];
        for (int blob = random.Next(1, 4); blob > 0; blob--)
        {
            double cx = random.NextDouble() * w, cy = random.NextDouble() * h, r = 0.5 + random.NextDouble() * Math.Max(w, h) / 2;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                    int c = (int)Math.Clamp((r - d) * 128, 0, 255);
                    coverage[y * w + x] = (byte)Math.Max(coverage[y * w + x], c);
                }
        }

        return new SelectionMask(bounds, coverage);
    }

    public static GeometrySettings Geometry(Random random) => new(
        ContextMarginPercent: random.Next(0, 120),
        ContextMinPixels: random.Next(0, 16),
        ContextMaxPixels: random.Next(16, 64),
        GrowPixels: random.Next(0, 9),
        FeatherPixels: random.Next(0, 9));
}
