namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// A selection as 8-bit coverage (0 = not selected, 255 = fully selected, between = soft edge)
/// over its own canvas bounds; everything outside the bounds is unselected.
/// </summary>
public sealed class CoverageMask
{
    public CoverageMask(CanvasRect bounds, byte[] coverage)
    {
        if (bounds.IsEmpty)
            throw new ArgumentException($"mask bounds {bounds} are empty", nameof(bounds));
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.LongLength != bounds.Area)
            throw new ArgumentException($"{coverage.LongLength} coverage bytes, expected {bounds.Area} for {bounds.Width}x{bounds.Height}", nameof(coverage));
        Bounds = bounds;
        Coverage = coverage;
    }

    public CanvasRect Bounds { get; }

    public byte[] Coverage { get; }

    public byte At(int x, int y) =>
        Bounds.Contains(x, y) ? Coverage[(y - Bounds.Y) * Bounds.Width + (x - Bounds.X)] : (byte)0;

    public ReadOnlySpan<byte> Row(int y, int x, int count) =>
        Coverage.AsSpan((y - Bounds.Y) * Bounds.Width + (x - Bounds.X), count);

    /// <summary>The bounding box of every pixel with coverage above zero; empty when nothing is selected.</summary>
    public CanvasRect SelectedBounds()
    {
        int minX = int.MaxValue, minY = -1, maxX = -1, maxY = -1;
        for (int row = 0; row < Bounds.Height; row++)
        {
            var line = Coverage.AsSpan(row * Bounds.Width, Bounds.Width);
            int first = line.IndexOfAnyExcept((byte)0);
            if (first < 0)
                continue;
            if (minY < 0)
                minY = row;
            maxY = row;
            minX = Math.Min(minX, first);
            maxX = Math.Max(maxX, line.LastIndexOfAnyExcept((byte)0));
        }

        return maxY < 0 ? default : new CanvasRect(Bounds.X + minX, Bounds.Y + minY, maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>This mask cut (or padded with zeros) to <paramref name="area"/>.</summary>
    public CoverageMask CropTo(CanvasRect area)
    {
        var result = new byte[area.Area];
        var overlap = area.Intersect(Bounds);
        for (int y = overlap.Y; y < overlap.Bottom; y++)
            Row(y, overlap.X, overlap.Width).CopyTo(result.AsSpan((y - area.Y) * area.Width + (overlap.X - area.X), overlap.Width));
        return new CoverageMask(area, result);
    }

    /// <summary>True when every pixel of <paramref name="area"/> is fully selected.</summary>
    public bool CoversFully(CanvasRect area)
    {
        if (!Bounds.Contains(area))
            return false;
        for (int y = area.Y; y < area.Bottom; y++)
        {
            if (Row(y, area.X, area.Width).ContainsAnyExcept((byte)255))
                return false;
        }

        return true;
    }

    /// <summary>SHA-256 of the bounds and coverage: tells whether a cached result belongs to this selection.</summary>
    public string Fingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[16];
        BitConverter.TryWriteBytes(header[..4], Bounds.X);
        BitConverter.TryWriteBytes(header[4..8], Bounds.Y);
        BitConverter.TryWriteBytes(header[8..12], Bounds.Width);
        BitConverter.TryWriteBytes(header[12..], Bounds.Height);
        hash.AppendData(header);
        hash.AppendData(Coverage);
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
