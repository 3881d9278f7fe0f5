using System.Runtime.InteropServices;

namespace EditorBridge.PaintDotNet.Core.Tests.Model;

/// <summary>
/// A Paint.NET-like bitmap of <see cref="ModelColor"/>: canvas-sized, rows <see cref="Stride"/>
/// bytes apart. The stride is wider than a row on purpose, as Paint.NET's locked regions may be,
/// so code that assumes tight rows fails here.
/// </summary>
public sealed class ModelBitmap
{
    public const int Padding = 3; // pixels of slack at the end of each row

    public ModelBitmap(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new ModelColor[(width + Padding) * height];
        Stride = (width + Padding) * 4;
    }

    public int Width { get; }

    public int Height { get; }

    public int Stride { get; }

    public ModelColor[] Pixels { get; }

    public ModelColor this[int x, int y]
    {
        get => Pixels[y * (Width + Padding) + x];
        set => Pixels[y * (Width + Padding) + x] = value;
    }

    public Span<byte> Bytes => MemoryMarshal.AsBytes(Pixels.AsSpan());

    public static ModelBitmap FromRgba(int width, int height, byte[] rgba)
    {
        var bitmap = new ModelBitmap(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap[x, y] = ModelColor.FromRgba(rgba.AsSpan((y * width + x) * 4, 4));
        return bitmap;
    }

    public ModelBitmap Clone()
    {
        var copy = new ModelBitmap(Width, Height);
        Pixels.CopyTo(copy.Pixels, 0);
        return copy;
    }

    /// <summary>The pixels as tight RGBA rows (for pictures and metrics), written independently of the core's conversions.</summary>
    public byte[] ToRgba()
    {
        var rgba = new byte[Width * Height * 4];
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var c = this[x, y];
                int i = (y * Width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (c.R, c.G, c.B, c.A);
            }

        return rgba;
    }

    /// <summary>A region of the bitmap as a byte span starting at (x, y), with this bitmap's stride (like a locked region).</summary>
    public Span<byte> Region(int x, int y, int width, int height) =>
        Bytes.Slice(y * Stride + x * 4, (height - 1) * Stride + width * 4);
}
