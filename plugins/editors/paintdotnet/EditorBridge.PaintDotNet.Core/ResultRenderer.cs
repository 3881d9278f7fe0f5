using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Answers Paint.NET's tile requests from a cached <see cref="JobOutcome"/>: copies, never computes.
/// A pixel takes the result's value where the selection covers it at all and the source's value,
/// bit for bit, everywhere else. Safe to call from many threads at once, in any tile order, again
/// and again.
/// </summary>
public sealed class ResultRenderer
{
    private readonly JobOutcome? outcome;

    /// <param name="outcome">The cached result; null renders the source unchanged (no result, or a cancelled job).</param>
    public ResultRenderer(JobOutcome? outcome) => this.outcome = outcome;

    public JobOutcome? Outcome => outcome;

    /// <summary>
    /// The renderer for an effect token's cached result in <paramref name="document"/>: the result
    /// when it was made for the document's current canvas and selection, else none (the source
    /// unchanged): Paint.NET's Repeat hands the last token to a new selection.
    /// </summary>
    public static ResultRenderer For(JobOutcome? outcome, IHostDocument document) =>
        new(outcome is not null && outcome.Fits(document) ? outcome : null);

    /// <summary>
    /// Writes canvas area <paramref name="tile"/> into <paramref name="destination"/>. Both buffers hold
    /// BGRA rows for the tile, <paramref name="sourceStride"/> / <paramref name="destinationStride"/> bytes
    /// apart (strides may be wider than the tile). Stops early, leaving the rest as the source,
    /// when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public void RenderTile(PixelRect tile, ReadOnlySpan<byte> source, int sourceStride, Span<byte> destination, int destinationStride, CancellationToken cancellationToken = default)
    {
        if (tile.IsEmpty)
            return;
        int rowBytes = tile.Width * BgraImage.BytesPerPixel;
        if (sourceStride < rowBytes || destinationStride < rowBytes)
            throw new ArgumentException($"strides ({sourceStride}, {destinationStride}) are shorter than a tile row ({rowBytes} bytes)");
        long needSource = (long)sourceStride * (tile.Height - 1) + rowBytes, needDestination = (long)destinationStride * (tile.Height - 1) + rowBytes;
        if (source.Length < needSource || destination.Length < needDestination)
            throw new ArgumentException($"buffers ({source.Length}, {destination.Length} bytes) are too small for a {tile} tile");

        for (int row = 0; row < tile.Height; row++)
            source.Slice(row * sourceStride, rowBytes).CopyTo(destination.Slice(row * destinationStride, rowBytes));
        if (outcome is null)
            return;

        var result = outcome.Result;
        var area = tile.Intersect(result.Bounds);
        if (outcome.Selection is { } selection)
            area = area.Intersect(selection.Bounds);
        if (area.IsEmpty)
            return;
        for (int y = area.Y; y < area.Bottom; y++)
        {
            if (cancellationToken.IsCancellationRequested)
                return;
            var from = result.Row(y, area.X, area.Width);
            var to = destination.Slice((y - tile.Y) * destinationStride + (area.X - tile.X) * BgraImage.BytesPerPixel, area.Width * BgraImage.BytesPerPixel);
            if (outcome.Selection is not { } mask)
            {
                from.CopyTo(to);
                continue;
            }

            var coverage = mask.Row(y, area.X, area.Width);
            int x = 0;
            while (x < coverage.Length)
            {
                // runs of selected pixels copy in one go
                int start = x;
                while (x < coverage.Length && coverage[x] != 0)
                    x++;
                if (x > start)
                    from.Slice(start * 4, (x - start) * 4).CopyTo(to.Slice(start * 4));
                while (x < coverage.Length && coverage[x] == 0)
                    x++;
            }
        }
    }
}
