namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// Where tiles start along one axis and how much each output position of a tile counts: nothing
/// within <see cref="Margin"/> of an inner tile edge (where the tile lacks context), then a linear
/// ramp to 1 (so nothing up to the margin itself). Outer image edges count fully. Overlapping tiles so always cover every position.
/// </summary>
internal sealed record TileSpan(int Length, int Tile, int Overlap, int Margin)
{
    public IReadOnlyList<int> Starts()
    {
        if (Length <= Tile)
            return [0];
        int count = (int)Math.Ceiling((double)(Length - Overlap) / (Tile - Overlap));
        return Enumerable.Range(0, count).Select(i => (int)Math.Round((double)i * (Length - Tile) / (count - 1))).Distinct().ToList();
    }

    public int Size(int start) => Math.Min(Tile, Length - start);

    /// <summary>Weight of position <paramref name="offset"/> inside the tile starting at <paramref name="start"/>.</summary>
    public float Weight(int start, int offset)
    {
        int size = Size(start);
        int fromStart = start == 0 ? int.MaxValue : offset;
        int fromEnd = start + size >= Length ? int.MaxValue : size - 1 - offset;
        int distance = Math.Min(fromStart, fromEnd);
        if (distance == int.MaxValue)
            return 1f;
        float ramp = Math.Max(1, Overlap - 2 * Margin);
        return Math.Clamp((distance - Margin) / ramp, 0f, 1f);
    }
}
