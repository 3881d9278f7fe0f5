namespace EditorBridge.Inference;

/// <summary>
/// Tiles along one side: where each starts, and each one's blending weight at an output coordinate.
/// Tiles step by side − overlap and the last one ends at the picture's edge, so no pixel lies in more
/// than two tiles (overlap is kept under half a tile). In each overlap the weights ramp linearly from
/// one tile to the next, skipping a quarter of the overlap at either end, where a tile's own border
/// still shows in what the model answers; the two weights always sum to one.
/// </summary>
internal sealed class TileAxis
{
    private readonly int[] starts;
    private readonly int side;
    private readonly int scale;

    public TileAxis(int length, int side, int overlap, int scale)
    {
        this.scale = scale;
        if (side <= 0 || length <= side)
        {
            this.side = length;
            starts = [0];
            return;
        }

        this.side = side;
        overlap = Math.Clamp(overlap, 0, (side - 1) / 2);
        var list = new List<int>();
        for (int start = 0; start + side < length; start += side - overlap)
            list.Add(start);
        list.Add(length - side);
        starts = list.ToArray();
    }

    public int Count => starts.Length;

    public int Start(int tile) => starts[tile];

    public int Length(int tile) => side;

    /// <summary>Output coordinates [start, end) of the overlap between tile and tile + 1 (empty for the last).</summary>
    public (int Start, int End) OverlapWithNext(int tile) =>
        tile + 1 < starts.Length ? (starts[tile + 1] * scale, (starts[tile] + side) * scale) : (0, 0);

    /// <summary>The share of <paramref name="tile"/> at output coordinate <paramref name="x"/> (inside that tile).</summary>
    public float Weight(int tile, int x)
    {
        if (tile > 0 && x < (starts[tile - 1] + side) * scale)
            return Ramp(tile - 1, x);
        if (tile + 1 < starts.Length && x >= starts[tile + 1] * scale)
            return 1 - Ramp(tile, x);
        return 1;
    }

    /// <summary>The next tile's share across the overlap between <paramref name="tile"/> and the next.</summary>
    private float Ramp(int tile, int x)
    {
        var (start, end) = OverlapWithNext(tile);
        int margin = (end - start) / 4;
        double from = start + margin, to = end - margin;
        return (float)Math.Clamp((x + 0.5 - from) / Math.Max(1, to - from), 0, 1);
    }
}
