using EditorBridge.Protocol.V1;
using Google.Protobuf;
using WirePixelFormat = EditorBridge.Protocol.V1.PixelFormat;

namespace EditorBridge.Imaging;

/// <summary>
/// The one conversion between the shared pixel types and the wire's <see cref="Image"/> and
/// <see cref="Mask"/> (inline bytes; the daemon's blob delivery wraps it). Used by the daemon,
/// the CLI and the Paint.NET plugin. Arrays are shared, not copied: rasters and masks are never
/// written to after they are made.
/// </summary>
public static class PixelWire
{
    public static WirePixelFormat ToWire(PixelFormat format) =>
        format == PixelFormat.Rgba16 ? WirePixelFormat.Rgba16 : WirePixelFormat.Rgba8;

    /// <summary>The wire format as a raster format; INVALID for anything but RGBA8/RGBA16.</summary>
    public static PixelFormat? FromWire(WirePixelFormat format) => format switch
    {
        WirePixelFormat.Rgba8 => PixelFormat.Rgba8,
        WirePixelFormat.Rgba16 => PixelFormat.Rgba16,
        _ => null,
    };

    /// <summary>The raster's place and format, without pixels (the caller sets data or a blob id).</summary>
    public static Image Header(Raster raster) => Header(raster.Bounds, raster.Format);

    /// <summary>A layer's place and format, without pixels (the caller says where they are).</summary>
    public static Image Header(PixelRect bounds, PixelFormat format) => new()
    {
        Width = bounds.Width,
        Height = bounds.Height,
        OffsetX = bounds.X,
        OffsetY = bounds.Y,
        Format = ToWire(format),
    };

    /// <summary>The raster as a wire image with inline pixels.</summary>
    public static Image ToWire(Raster raster)
    {
        var image = Header(raster);
        image.Data = UnsafeByteOperations.UnsafeWrap(raster.Data);
        return image;
    }

    /// <summary>The mask's place, without coverage (the caller sets coverage or a blob id).</summary>
    public static Mask Header(SelectionMask mask) => new()
    {
        Width = mask.Bounds.Width,
        Height = mask.Bounds.Height,
        OffsetX = mask.Bounds.X,
        OffsetY = mask.Bounds.Y,
    };

    /// <summary>The selection as a wire mask with inline coverage.</summary>
    public static Mask ToWire(SelectionMask mask)
    {
        var wire = Header(mask);
        wire.Coverage = UnsafeByteOperations.UnsafeWrap(mask.Coverage);
        return wire;
    }

    /// <summary>
    /// A wire image with inline pixels as a raster; <see cref="InvalidDataException"/> naming
    /// <paramref name="field"/> when its size, format or byte count does not add up.
    /// </summary>
    public static Raster ToRaster(Image image, string field)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.PixelsCase != Image.PixelsOneofCase.Data)
            throw new InvalidDataException($"{field}: no inline pixels");
        if (image.Width <= 0 || image.Height <= 0)
            throw new InvalidDataException($"{field}: {image.Width}x{image.Height} is empty");
        var format = FromWire(image.Format) ?? throw new InvalidDataException($"{field}: unknown pixel format {image.Format}");
        var bounds = new PixelRect(image.OffsetX, image.OffsetY, image.Width, image.Height);
        long expected = bounds.Area * format.BytesPerPixel();
        if (image.Data.Length != expected)
            throw new InvalidDataException($"{field}: {image.Data.Length} bytes, expected {expected} ({image.Width}x{image.Height} {format.DisplayName()})");
        return new Raster(bounds, format, image.Data.ToByteArray());
    }
}
