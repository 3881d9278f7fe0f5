using EditorBridge.Daemon.Blobs;
using EditorBridge.Imaging;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// The daemon's rasters and masks as wire images: inline bytes (shared, not copied), or the blob id
/// they were stored under. The conversion itself is the shared <see cref="PixelWire"/> (the CLI's
/// and the Paint.NET plugin's too).
/// </summary>
public static class WireImages
{
    public static Proto.Image ToWire(Raster raster, string? blobId = null)
    {
        if (blobId is null)
            return PixelWire.ToWire(raster);
        var image = PixelWire.Header(raster);
        image.BlobId = blobId;
        return image;
    }

    /// <summary>A selection as a wire mask (inline coverage, or a blob for JSON clients).</summary>
    public static Proto.Mask ToWire(SelectionMask mask, string? blobId = null)
    {
        if (blobId is null)
            return PixelWire.ToWire(mask);
        var wire = PixelWire.Header(mask);
        wire.BlobId = blobId;
        return wire;
    }

    public static Proto.PixelFormat ToWire(PixelFormat format) => PixelWire.ToWire(format);

    /// <summary>A layer whose pixels were written into a pixel region: the header and the reference.</summary>
    public static Proto.Image InRegion(PixelRect bounds, PixelFormat format, RegionSlice at)
    {
        var image = PixelWire.Header(bounds, format);
        image.Region = ToWire(at);
        return image;
    }

    /// <summary>A mask whose coverage was written into a pixel region.</summary>
    public static Proto.Mask InRegion(SelectionMask mask, RegionSlice at)
    {
        var wire = PixelWire.Header(mask);
        wire.Region = ToWire(at);
        return wire;
    }

    public static Proto.RegionRef ToWire(RegionSlice at) => new() { RegionId = at.Id, Offset = at.Offset, Length = at.Length };
}
