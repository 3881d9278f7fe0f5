namespace EditorBridge.Inference;

/// <summary>
/// Runs an image-to-image model over a picture of any size in tiles the model takes (fixed or
/// bounded side, padded to its size rules), blending overlaps so no seam shows. Memory stays
/// bounded by the tile: besides the answer itself (RGBA8, scale× larger) only one tile's output
/// and the strips still waiting for their neighbour are held, as floats.
/// </summary>
public static class TiledRun
{
    /// <summary>
    /// The model's answer for the whole picture as RGBA8 (alpha 255: the caller puts its own back).
    /// <paramref name="runTile"/> answers RGB planes <see cref="TileSettings.Scale"/> times the tile input's size.
    /// </summary>
    public static async Task<byte[]> RunAsync(
        ReadOnlyMemory<byte> rgba,
        int width,
        int height,
        TileSettings settings,
        Func<TileInput, CancellationToken, Task<PlanarImage>> runTile,
        IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        if (rgba.Length != checked(width * height * 4))
            throw new ArgumentException($"expected {width * height * 4} bytes for {width}x{height} RGBA8, got {rgba.Length}", nameof(rgba));
        int scale = Math.Max(1, settings.Scale);
        var columns = new TileAxis(width, settings.Side, settings.Overlap, scale);
        var rows = new TileAxis(height, settings.Side, settings.Overlap, scale);
        var blend = new TileBlend(checked(width * scale), checked(height * scale), scale, columns, rows);
        int total = columns.Count * rows.Count, done = 0;
        for (int row = 0; row < rows.Count; row++)
        {
            for (int column = 0; column < columns.Count; column++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int x = columns.Start(column), y = rows.Start(row), w = columns.Length(column), h = rows.Length(row);
                var (modelWidth, modelHeight) = settings.ModelSize(w, h);
                if (modelWidth < w || modelHeight < h)
                    throw new ArgumentException($"a {w}x{h} tile does not fit the model's fixed {modelWidth}x{modelHeight}", nameof(settings));
                var input = new TileInput(Cut(rgba.Span, width, height, x, y, w, h, modelWidth, modelHeight), modelWidth, modelHeight, w, h, done, total);
                var answer = await runTile(input, cancellationToken).ConfigureAwait(false);
                if (answer.Width != modelWidth * scale || answer.Height != modelHeight * scale || answer.Channels != "rgb")
                    throw new InvalidDataException($"the model answered {answer.Width}x{answer.Height} {answer.Channels} for a {modelWidth}x{modelHeight} tile; expected {modelWidth * scale}x{modelHeight * scale} rgb");
                blend.Add(column, row, answer);
                progress?.Report((++done, total));
            }
        }

        return blend.Result;
    }

    /// <summary>A whole picture padded on the right and bottom to the model's size by repeating its edge pixels.</summary>
    public static byte[] Pad(ReadOnlySpan<byte> rgba, int width, int height, int modelWidth, int modelHeight) =>
        Cut(rgba, width, height, 0, 0, width, height, modelWidth, modelHeight);

    /// <summary>The tile [x, x+w) × [y, y+h) padded to the model's size by repeating edge pixels (of the tile's own picture area).</summary>
    internal static byte[] Cut(ReadOnlySpan<byte> rgba, int width, int height, int x, int y, int w, int h, int modelWidth, int modelHeight)
    {
        var tile = new byte[modelWidth * modelHeight * 4];
        for (int row = 0; row < modelHeight; row++)
        {
            int sourceRow = y + Math.Min(row, h - 1);
            rgba.Slice((sourceRow * width + x) * 4, w * 4).CopyTo(tile.AsSpan(row * modelWidth * 4));
            var last = tile.AsSpan((row * modelWidth + w - 1) * 4, 4);
            for (int column = w; column < modelWidth; column++)
                last.CopyTo(tile.AsSpan((row * modelWidth + column) * 4));
        }

        return tile;
    }
}
