using EditorBridge.Imaging;
using Google.Protobuf;
using PixelFormat = EditorBridge.Imaging.PixelFormat;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>The daemon's rasters and masks as wire images: inline bytes (shared, not copied), or the blob id they were stored under.</summary>
public static class WireImages
{
    public static Proto.Image ToWire(Raster raster, string? blobId = null)
    {
        var image = new Proto.Image
        {
            Width = raster.Bounds.Width,
            Height = raster.Bounds.Height,
            OffsetX = raster.Bounds.X,
            OffsetY = raster.Bounds.Y,
            Format = ToWire(raster.Format),
        };
        if (blobId is not null)
            image.BlobId = blobId;
        else
            image.Data = UnsafeByteOperations.UnsafeWrap(raster.Data);
        return image;
    }

    /// <summary>A selection as a wire mask (inline coverage, or a blob for JSON clients).</summary>
    public static Proto.Mask ToWire(SelectionMask mask, string? blobId = null)
    {
        var wire = new Proto.Mask { Width = mask.Bounds.Width, Height = mask.Bounds.Height, OffsetX = mask.Bounds.X, OffsetY = mask.Bounds.Y };
        if (blobId is not null)
            wire.BlobId = blobId;
        else
            wire.Coverage = UnsafeByteOperations.UnsafeWrap(mask.Coverage);
        return wire;
    }

    public static Proto.PixelFormat ToWire(PixelFormat format) =>
        format == PixelFormat.Rgba16 ? Proto.PixelFormat.Rgba16 : Proto.PixelFormat.Rgba8;
}
