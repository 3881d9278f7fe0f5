namespace EditorBridge.Imaging;

/// <summary>A layer (or a crop of one) placed on the canvas: RGBA8 or RGBA16, straight alpha.</summary>
public sealed class Raster
{
    public Raster(PixelRect bounds, PixelFormat format, byte[] data)
    {
        if (bounds.IsEmpty)
            throw new ArgumentException($"raster bounds {bounds} are empty", nameof(bounds));
        ArgumentNullException.ThrowIfNull(data);
        long expected = bounds.Area * format.BytesPerPixel();
        if (data.LongLength != expected)
            throw new ArgumentException($"{data.LongLength} bytes, expected {expected} for {bounds.Width}x{bounds.Height} {format.DisplayName()}", nameof(data));
        Bounds = bounds;
        Format = format;
        Data = data;
    }

    public PixelRect Bounds { get; }

    public PixelFormat Format { get; }

    public byte[] Data { get; }

    public int Stride => Bounds.Width * Format.BytesPerPixel();

    /// <summary>
    /// The pixels inside <paramref name="region"/> (which must lie inside the raster); the raster
    /// itself when the region is all of it, since rasters are never written to.
    /// </summary>
    public Raster Crop(PixelRect region)
    {
        if (!Bounds.Contains(region))
            throw new ArgumentException($"crop {region} is not inside {Bounds}", nameof(region));
        if (region == Bounds)
            return this;
        int bpp = Format.BytesPerPixel();
        var data = new byte[region.Area * bpp];
        int rowBytes = region.Width * bpp;
        for (int y = 0; y < region.Height; y++)
        {
            int src = ((region.Y - Bounds.Y + y) * Bounds.Width + (region.X - Bounds.X)) * bpp;
            Buffer.BlockCopy(Data, src, data, y * rowBytes, rowBytes);
        }

        return new Raster(region, Format, data);
    }

    /// <summary>
    /// This raster grown to <paramref name="bounds"/> (which must contain it): its pixels where they
    /// were, transparent (all channels 0) in the new area; the raster itself when nothing grows.
    /// </summary>
    public Raster Extend(PixelRect bounds)
    {
        if (!bounds.Contains(Bounds))
            throw new ArgumentException($"{bounds} does not contain the raster {Bounds}", nameof(bounds));
        if (bounds == Bounds)
            return this;
        int bpp = Format.BytesPerPixel();
        var data = new byte[bounds.Area * bpp];
        int rowBytes = Stride;
        for (int y = 0; y < Bounds.Height; y++)
            Buffer.BlockCopy(Data, y * rowBytes, data, ((Bounds.Y - bounds.Y + y) * bounds.Width + Bounds.X - bounds.X) * bpp, rowBytes);
        return new Raster(bounds, Format, data);
    }

    /// <summary>RGBA8 pixels in <paramref name="format"/>: 8-bit values widen exactly (v × 257).</summary>
    public static Raster FromRgba8(PixelRect bounds, byte[] rgba8, PixelFormat format)
    {
        if (format == PixelFormat.Rgba8)
            return new Raster(bounds, format, rgba8);
        var wide = GC.AllocateUninitializedArray<byte>(checked(rgba8.Length * 2));
        Channel16.Widen(rgba8, wide);
        return new Raster(bounds, format, wide);
    }

    /// <summary>
    /// An engine's RGBA8 answer for <paramref name="original"/> (the same size), in the original's
    /// format. A 16-bit channel whose answer is the original's own 8-bit rounding keeps its 16-bit
    /// value (the engine left it alone: a no-op round trip is exact); the others widen as
    /// <see cref="FromRgba8(PixelRect, byte[], PixelFormat)"/>.
    /// </summary>
    public static Raster FromRgba8(PixelRect bounds, byte[] rgba8, Raster original)
    {
        if (original.Format == PixelFormat.Rgba8)
            return new Raster(bounds, PixelFormat.Rgba8, rgba8);
        if (original.Bounds.Width != bounds.Width || original.Bounds.Height != bounds.Height)
            throw new ArgumentException($"the original {original.Bounds} is not the size of {bounds}", nameof(original));
        var wide = GC.AllocateUninitializedArray<byte>(original.Data.Length);
        WriteFromRgba8(rgba8, original, wide);
        return new Raster(bounds, original.Format, wide);
    }

    /// <summary>
    /// The bytes <see cref="FromRgba8(PixelRect, byte[], Raster)"/> gives for <paramref name="rgba8"/>
    /// over <paramref name="original"/>, written into <paramref name="target"/> (the original's
    /// length) instead of a new array: e.g. straight into a shared-memory region. The original is
    /// only read; the target must not overlap the answer.
    /// </summary>
    public static void WriteFromRgba8(ReadOnlySpan<byte> rgba8, Raster original, Span<byte> target)
    {
        if (rgba8.Length != original.Bounds.Area * 4 || target.Length != original.Data.Length)
            throw new ArgumentException($"{rgba8.Length} RGBA8 bytes into {target.Length} for {original.Bounds} {original.Format.DisplayName()}: expected {original.Bounds.Area * 4} and {original.Data.Length}");
        if (original.Format == PixelFormat.Rgba8)
            rgba8.CopyTo(target);
        else
            Channel16.WidenOver(rgba8, original.Data, target);
    }

    /// <summary>The pixels as RGBA8 (16-bit channels rounded to 8 bits).</summary>
    public byte[] ToRgba8()
    {
        if (Format == PixelFormat.Rgba8)
            return (byte[])Data.Clone();
        var rgba8 = GC.AllocateUninitializedArray<byte>(checked((int)(Bounds.Area * 4)));
        Channel16.Narrow(Data, rgba8);
        return rgba8;
    }
}
