using EditorBridge.Protocol.V1;
using Google.Protobuf;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Paint.NET's pixels (BGRA, straight alpha) to the wire's (RGBA8, straight alpha) and back.
/// Only the byte order changes, so a round trip is bit-exact.
/// </summary>
public static class WirePixels
{
    /// <summary>The layer (or its crop) as a wire image at its canvas position.</summary>
    public static Image ToWire(BgraImage image)
    {
        var rgba = new byte[image.Pixels.Length];
        SwapRedBlue(image.Pixels, rgba);
        return new Image
        {
            Width = image.Bounds.Width,
            Height = image.Bounds.Height,
            OffsetX = image.Bounds.X,
            OffsetY = image.Bounds.Y,
            Format = PixelFormat.Rgba8,
            Data = UnsafeByteOperations.UnsafeWrap(rgba),
        };
    }

    /// <summary>A wire image (RGBA8 with inline data) as BGRA pixels at its canvas position.</summary>
    public static BgraImage FromWire(Image image, string field = "result.layer")
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Format != PixelFormat.Rgba8)
            throw new InvalidDataException($"{field}: format {image.Format}; the Paint.NET plugin sends RGBA8 and expects RGBA8 back");
        if (image.PixelsCase != Image.PixelsOneofCase.Data)
            throw new InvalidDataException($"{field}: no inline pixels (asked for inline delivery)");
        if (image.Width <= 0 || image.Height <= 0)
            throw new InvalidDataException($"{field}: {image.Width}x{image.Height} is empty");
        var bounds = new CanvasRect(image.OffsetX, image.OffsetY, image.Width, image.Height);
        if (image.Data.Length != bounds.Area * 4)
            throw new InvalidDataException($"{field}: {image.Data.Length} bytes, expected {bounds.Area * 4} ({image.Width}x{image.Height} RGBA8)");
        var bgra = new byte[image.Data.Length];
        SwapRedBlue(image.Data.Span, bgra);
        return new BgraImage(bounds, bgra);
    }

    /// <summary>The selection as a wire mask at its canvas position.</summary>
    public static Mask ToWire(CoverageMask mask) => new()
    {
        Width = mask.Bounds.Width,
        Height = mask.Bounds.Height,
        OffsetX = mask.Bounds.X,
        OffsetY = mask.Bounds.Y,
        Coverage = ByteString.CopyFrom(mask.Coverage),
    };

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
