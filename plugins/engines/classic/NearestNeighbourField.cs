namespace EditorBridge.Engines.Classic;

/// <summary>
/// For every target patch of a level, the best source patch found so far (PatchMatch, Barnes et al. 2009):
/// improved by propagating good matches from neighbours and by random search around the current match.
/// </summary>
internal sealed class NearestNeighbourField
{
    // How many targets are handled between cancellation checks: well under a millisecond of work.
    private const int CancellationStride = 64;

    private readonly PyramidLevel _level;
    private readonly PatchLayout _layout;
    private readonly XorShiftRandom _random;

    public NearestNeighbourField(PyramidLevel level, XorShiftRandom random)
    {
        _level = level;
        _layout = level.Layout;
        _random = random;
        Match = new int[level.Width * level.Height];
        Cost = new int[level.Width * level.Height];
    }

    public PyramidLevel Level => _level;

    /// <summary>Source centre matched to each target centre (indexed by pixel; meaningful for targets only).</summary>
    public int[] Match { get; }

    /// <summary>Patch distance of each target to its match, as of the last search.</summary>
    public int[] Cost { get; }

    public void InitialiseRandomly()
    {
        foreach (int target in _layout.Targets)
            Match[target] = RandomSource();
    }

    /// <summary>Scales the coarser level's matches up; where that lands off the sources, starts randomly.</summary>
    public void InitialiseFrom(NearestNeighbourField coarser)
    {
        PatchLayout coarse = coarser._layout;
        foreach (int target in _layout.Targets)
        {
            int x = target % _layout.Width;
            int y = target / _layout.Width;
            int cx = Math.Clamp(x / 2, coarse.Radius, coarse.Width - 1 - coarse.Radius);
            int cy = Math.Clamp(y / 2, coarse.Radius, coarse.Height - 1 - coarse.Radius);
            int c = cy * coarse.Width + cx;
            Match[target] = coarse.IsTarget[c] ? Upscaled(coarser.Match[c], coarse.Width, x - 2 * cx, y - 2 * cy) : RandomSource();
        }
    }

    /// <summary>One PatchMatch sweep over all targets, in scanline order or its reverse.</summary>
    public void Improve(bool reverse, CancellationToken cancellationToken)
    {
        int[] targets = _layout.Targets;
        int step = reverse ? -1 : 1;
        int start = reverse ? targets.Length - 1 : 0;
        for (int n = 0; n < targets.Length; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            ImproveTarget(targets[start + n * step], step);
        }
    }

    /// <summary>Recomputes every target's cost, since voting changed the hole pixels the costs were measured on.</summary>
    public void RefreshCosts(CancellationToken cancellationToken)
    {
        int[] targets = _layout.Targets;
        for (int n = 0; n < targets.Length; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            Cost[targets[n]] = Distance(targets[n], Match[targets[n]], int.MaxValue);
        }
    }

    private void ImproveTarget(int target, int step)
    {
        Propagate(target, target - step, step);
        Propagate(target, target - step * _layout.Width, step * _layout.Width);
        RandomSearch(target);
    }

    // A neighbour's match shifted by the same step is a likely match here, since coherent regions copy coherently.
    private void Propagate(int target, int neighbour, int shift)
    {
        if ((uint)neighbour < (uint)Match.Length && _layout.IsTarget[neighbour])
            TryCandidate(target, Match[neighbour] + shift);
    }

    private void RandomSearch(int target)
    {
        int width = _layout.Width;
        int radius = _layout.Radius;
        int sx = Match[target] % width;
        int sy = Match[target] / width;
        for (int reach = Math.Max(width, _layout.Height); reach >= 1; reach /= 2)
        {
            int x = Math.Clamp(sx + _random.Next(2 * reach + 1) - reach, radius, width - 1 - radius);
            int y = Math.Clamp(sy + _random.Next(2 * reach + 1) - reach, radius, _layout.Height - 1 - radius);
            TryCandidate(target, y * width + x);
        }
    }

    private void TryCandidate(int target, int source)
    {
        if (source == Match[target] || (uint)source >= (uint)Match.Length || !_layout.IsSource[source])
            return;
        int cost = Distance(target, source, Cost[target]);
        if (cost < Cost[target])
        {
            Match[target] = source;
            Cost[target] = cost;
        }
    }

    private int Distance(int target, int source, int cutoff) =>
        PatchDistance.Ssd(_level.Pixels, _layout.Width * WorkingPixels.Channels, _layout.TopLeftByte(target), _layout.TopLeftByte(source), _layout.Size, cutoff);

    private int Upscaled(int coarseSource, int coarseWidth, int dx, int dy)
    {
        int x = 2 * (coarseSource % coarseWidth) + dx;
        int y = 2 * (coarseSource / coarseWidth) + dy;
        if (x < 0 || y < 0 || x >= _layout.Width || y >= _layout.Height)
            return RandomSource();
        int source = y * _layout.Width + x;
        return _layout.IsSource[source] ? source : RandomSource();
    }

    private int RandomSource() => _layout.Sources[_random.Next(_layout.Sources.Length)];
}
