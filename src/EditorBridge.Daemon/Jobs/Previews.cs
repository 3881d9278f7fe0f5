using EditorBridge.Engines;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>Previews are small: at most <see cref="Side"/> pixels a side, RGBA8.</summary>
public static class Previews
{
    public const int Side = 256;

    /// <summary>A layer's preview keeps its canvas offset.</summary>
    public static Raster Of(Raster raster)
    {
        var (w, h) = Size(raster.Bounds.Width, raster.Bounds.Height);
        if (raster.Format != PixelFormat.Rgba8 && Resampler.ThumbnailSamples(raster.Bounds.Width, raster.Bounds.Height, w, h))
        {
            // a 16-bit layer's preview narrows only the pixels it keeps, not the whole layer
            var kept = Resampler.Nearest(raster.Data, raster.Format.BytesPerPixel(), raster.Bounds.Width, raster.Bounds.Height, w, h);
            raster = new Raster(new PixelRect(raster.Bounds.X, raster.Bounds.Y, w, h), raster.Format, kept);
        }

        return Of(raster.Bounds.Width, raster.Bounds.Height, raster.Format == PixelFormat.Rgba8 ? raster.Data : raster.ToRgba8(), raster.Bounds.X, raster.Bounds.Y);
    }

    /// <summary>An engine's preview is of its work image, which has no canvas offset.</summary>
    public static Raster Of(EngineImage image) => Of(image.Width, image.Height, image.Pixels, 0, 0);

    private static Raster Of(int width, int height, byte[] rgba8, int x, int y)
    {
        var (w, h) = Size(width, height);
        return new Raster(new PixelRect(x, y, w, h), PixelFormat.Rgba8, Resampler.Thumbnail(rgba8, width, height, w, h));
    }

    private static (int Width, int Height) Size(int width, int height)
    {
        double scale = Math.Min(1.0, (double)Side / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
