using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using PixelFormat = EditorBridge.Imaging.PixelFormat;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Paint.NET's pixels (BGRA, straight alpha) to the wire's (RGBA8, straight alpha) and back,
/// through the shared <see cref="PixelWire"/> (the daemon's and the CLI's conversion). Only the
/// byte order changes, so a round trip is bit-exact.
/// </summary>
public static class WirePixels
{
    /// <summary>The layer (or its crop) as a wire image at its canvas position.</summary>
    public static Image ToWire(BgraImage image)
    {
        var rgba = new byte[image.Pixels.Length];
        SwapRedBlue(image.Pixels, rgba);
        return PixelWire.ToWire(new Raster(image.Bounds, PixelFormat.Rgba8, rgba));
    }

    /// <summary>A wire image (RGBA8 with inline data) as BGRA pixels at its canvas position.</summary>
    public static BgraImage FromWire(Image image, string field = "result.layer")
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Format != Protocol.V1.PixelFormat.Rgba8)
            throw new InvalidDataException($"{field}: format {image.Format}; the Paint.NET plugin sends RGBA8 and expects RGBA8 back");
        var raster = PixelWire.ToRaster(image, field);
        SwapRedBlue(raster.Data, raster.Data);
        return new BgraImage(raster.Bounds, raster.Data);
    }

    /// <summary>The selection as a wire mask at its canvas position.</summary>
    public static Mask ToWire(SelectionMask mask) => PixelWire.ToWire(mask);

    /// <summary>
    /// Swaps bytes 0 and 2 of every 4-byte pixel: BGRA → RGBA and RGBA → BGRA are the same move.
    /// <paramref name="source"/> and <paramref name="destination"/> may be the same memory.
    /// </summary>
    public static void SwapRedBlue(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length % 4 != 0 || destination.Length < source.Length)
            throw new ArgumentException($"pixel buffers must be whole pixels of equal size ({source.Length} → {destination.Length} bytes)");
        for (int i = 0; i < source.Length; i += 4)
        {
            byte first = source[i];
            destination[i] = source[i + 2];
            destination[i + 1] = source[i + 1];
            destination[i + 2] = first;
            destination[i + 3] = source[i + 3];
        }
    }
}
