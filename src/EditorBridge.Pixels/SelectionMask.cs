namespace EditorBridge.Imaging;

/// <summary>
/// A selection on the canvas: 8-bit coverage (0 = not selected, 255 = fully selected) over its
/// own bounds. Everything outside the bounds is unselected.
/// </summary>
public sealed class SelectionMask
{
    public SelectionMask(PixelRect bounds, byte[] coverage)
    {
        if (bounds.IsEmpty)
            throw new ArgumentException($"mask bounds {bounds} are empty", nameof(bounds));
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.LongLength != bounds.Area)
            throw new ArgumentException($"{coverage.LongLength} coverage bytes, expected {bounds.Area} for {bounds.Width}x{bounds.Height}", nameof(coverage));
        Bounds = bounds;
        Coverage = coverage;
    }

    public PixelRect Bounds { get; }

    public byte[] Coverage { get; }

    public byte At(int x, int y) =>
        Bounds.Contains(x, y) ? Coverage[(y - Bounds.Y) * Bounds.Width + (x - Bounds.X)] : (byte)0;

    /// <summary><paramref name="count"/> coverage bytes of row <paramref name="y"/> from column <paramref name="x"/> (inside the bounds).</summary>
    public ReadOnlySpan<byte> Row(int y, int x, int count) =>
        Coverage.AsSpan((y - Bounds.Y) * Bounds.Width + (x - Bounds.X), count);

    /// <summary>This selection cut (or padded with zeros) to <paramref name="area"/>.</summary>
    public SelectionMask CropTo(PixelRect area) => new(area, CoverageIn(area));

    /// <summary>True when every pixel of <paramref name="area"/> is fully selected.</summary>
    public bool CoversFully(PixelRect area)
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

    /// <summary>The bounding box of every pixel with coverage above zero; empty when nothing is selected.</summary>
    public PixelRect SelectedBounds()
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < Bounds.Height; y++)
        {
            var row = Coverage.AsSpan(y * Bounds.Width, Bounds.Width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
                continue;
            int last = row.LastIndexOfAnyExcept((byte)0);
            minY = Math.Min(minY, y);
            maxY = y;
            minX = Math.Min(minX, first);
            maxX = Math.Max(maxX, last);
        }

        return maxY < 0 ? default : new PixelRect(Bounds.X + minX, Bounds.Y + minY, maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>
    /// The same selection cut to <see cref="SelectedBounds"/> (this mask when it is already tight).
    /// Throws <see cref="InvalidOperationException"/> when nothing is selected.
    /// </summary>
    public SelectionMask Trimmed()
    {
        var selected = SelectedBounds();
        if (selected.IsEmpty)
            throw new InvalidOperationException("the selection is empty");
        return selected == Bounds ? this : new SelectionMask(selected, CoverageIn(selected));
    }

    /// <summary>Coverage of <paramref name="region"/>, row-major (0 where the mask does not reach).</summary>
    public byte[] CoverageIn(PixelRect region)
    {
        var result = new byte[region.Area];
        var overlap = region.Intersect(Bounds);
        for (int y = overlap.Y; y < overlap.Bottom; y++)
        {
            int src = (y - Bounds.Y) * Bounds.Width + (overlap.X - Bounds.X);
            int dst = (y - region.Y) * region.Width + (overlap.X - region.X);
            Buffer.BlockCopy(Coverage, src, result, dst, overlap.Width);
        }

        return result;
    }

    /// <summary>
    /// Widens the selection: every pixel within <paramref name="pixels"/> (Euclidean) of a selected
    /// pixel becomes fully selected. The result never reaches outside <paramref name="limit"/>.
    /// With 0 the soft edges are kept as they are. Works on the selected pixels' box grown by
    /// <paramref name="pixels"/> only, however large the mask's own bounds (a picture-sized mask from
    /// a file): the distance field never covers pixels that cannot be reached.
    /// </summary>
    public SelectionMask Grow(int pixels, PixelRect limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pixels);
        var selected = SelectedBounds();
        var region = (selected.IsEmpty ? Bounds : selected).Inflate(pixels).Intersect(limit);
        if (region.IsEmpty)
            throw new ArgumentException($"mask {Bounds} lies outside {limit}", nameof(limit));
        var coverage = CoverageIn(region);
        if (pixels == 0)
            return new SelectionMask(region, coverage);
        var distance = DistanceField.ToNearest(region.Width, region.Height, i => coverage[i] > 0);
        for (int i = 0; i < coverage.Length; i++)
        {
            if (distance[i] <= pixels)
                coverage[i] = 255;
        }

        return new SelectionMask(region, coverage);
    }
}
