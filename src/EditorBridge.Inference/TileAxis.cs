namespace EditorBridge.Inference;

/// <summary>
/// Tiles along one side: where each starts, and each one's blending weight at an output coordinate.
/// Tiles are spread evenly from edge to edge, as few as keep each overlap at least the one asked
/// (under half a tile) — fewer when that would put a pixel in three tiles. In each overlap the
/// weights ramp linearly from one tile to the next, skipping a quarter of the overlap at either
/// end, where a tile's own border still shows in what the model answers; the two always sum to one.
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
        int count = (length - overlap + side - overlap - 1) / (side - overlap);
        starts = Spread(length, side, count);
        while (count > 2 && !Pairwise(starts, side))
            starts = Spread(length, side, --count);
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

    /// <summary><paramref name="count"/> tiles spread evenly from the start to the end.</summary>
    private static int[] Spread(int length, int side, int count) =>
        Enumerable.Range(0, count).Select(i => (int)Math.Round((double)i * (length - side) / (count - 1))).ToArray();

    /// <summary>No pixel lies in three tiles: every tile ends before the one after next starts.</summary>
    private static bool Pairwise(int[] starts, int side)
    {
        for (int i = 0; i + 2 < starts.Length; i++)
        {
            if (starts[i + 2] < starts[i] + side)
                return false;
        }

        return true;
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
