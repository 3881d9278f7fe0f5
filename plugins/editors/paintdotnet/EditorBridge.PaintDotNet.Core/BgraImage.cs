using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Pixels as Paint.NET keeps them (<c>ColorBgra32</c>): bytes B, G, R, A per pixel, straight
/// (not premultiplied) alpha, rows top to bottom without padding, placed on the canvas at
/// <see cref="Bounds"/>.
/// </summary>
public sealed class BgraImage
{
    public const int BytesPerPixel = 4;

    public BgraImage(PixelRect bounds, byte[] pixels)
    {
        if (bounds.IsEmpty)
            throw new ArgumentException($"image bounds {bounds} are empty", nameof(bounds));
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != bounds.Area * BytesPerPixel)
            throw new ArgumentException($"{pixels.LongLength} bytes, expected {bounds.Area * BytesPerPixel} for {bounds.Width}x{bounds.Height} BGRA", nameof(pixels));
        Bounds = bounds;
        Pixels = pixels;
    }

    public PixelRect Bounds { get; }

    public byte[] Pixels { get; }

    public int Stride => Bounds.Width * BytesPerPixel;

    /// <summary>The pixels of canvas row <paramref name="y"/> from canvas column <paramref name="x"/>, <paramref name="count"/> pixels long.</summary>
    public Span<byte> Row(int y, int x, int count) =>
        Pixels.AsSpan(((y - Bounds.Y) * Bounds.Width + (x - Bounds.X)) * BytesPerPixel, count * BytesPerPixel);

    /// <summary>A copy of the part of this image inside <paramref name="area"/>, which must lie within it.</summary>
    public BgraImage Crop(PixelRect area)
    {
        if (!Bounds.Contains(area) || area.IsEmpty)
            throw new ArgumentException($"crop {area} is not inside {Bounds}", nameof(area));
        var result = new BgraImage(area, new byte[area.Area * BytesPerPixel]);
        for (int y = area.Y; y < area.Bottom; y++)
            Row(y, area.X, area.Width).CopyTo(result.Row(y, area.X, area.Width));
        return result;
    }
}
