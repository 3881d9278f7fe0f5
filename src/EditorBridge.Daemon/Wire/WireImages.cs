using EditorBridge.Daemon.Blobs;
using EditorBridge.Engines;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using WirePixelFormat = EditorBridge.Protocol.V1.PixelFormat;

namespace EditorBridge.Daemon.Wire;

/// <summary>Conversions between wire images and the daemon's rasters.</summary>
public static class WireImages
{
    public const int PreviewSide = 256;

    /// <summary>A raster as a wire image (<see cref="PixelWire"/>; inline bytes, or a blob for JSON clients).</summary>
    public static Image ToWire(Raster raster, ResultDelivery delivery, BlobStore blobs)
    {
        if (delivery != ResultDelivery.Blob)
            return PixelWire.ToWire(raster);
        var image = PixelWire.Header(raster);
        image.BlobId = blobs.Put(raster.Data).Id;
        return image;
    }

    /// <summary>A selection as a wire mask (inline coverage, or a blob for JSON clients).</summary>
    public static Mask ToWire(SelectionMask mask, ResultDelivery delivery, BlobStore blobs)
    {
        if (delivery != ResultDelivery.Blob)
            return PixelWire.ToWire(mask);
        var wire = PixelWire.Header(mask);
        wire.BlobId = blobs.Put(mask.Coverage).Id;
        return wire;
    }

    public static Image Preview(Raster raster) =>
        Preview(raster.Bounds.Width, raster.Bounds.Height, raster.Format == Imaging.PixelFormat.Rgba8 ? raster.Data : raster.ToRgba8(), raster.Bounds.X, raster.Bounds.Y);

    public static Image Preview(EngineImage image) => Preview(image.Width, image.Height, image.Pixels, 0, 0);

    private static Image Preview(int width, int height, byte[] rgba8, int x, int y)
    {
        double scale = Math.Min(1.0, (double)PreviewSide / Math.Max(width, height));
        int w = Math.Max(1, (int)Math.Round(width * scale)), h = Math.Max(1, (int)Math.Round(height * scale));
        var pixels = Resampler.Thumbnail(rgba8, width, height, w, h);
        return new Image { Width = w, Height = h, OffsetX = x, OffsetY = y, Format = WirePixelFormat.Rgba8, Data = UnsafeByteOperations.UnsafeWrap(pixels) };
    }
}
