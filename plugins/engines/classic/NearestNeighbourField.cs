namespace EditorBridge.Engines.Classic;

/// <summary>
/// For every target patch of a level, the best source patch found so far (PatchMatch, Barnes et al. 2009):
/// improved by propagating good matches from neighbours and by random search around the current match.
/// The targets are cut into <see cref="Parts"/> runs of rows searched in parallel, each with its own
/// random generator; matches propagate within a run only, so the result does not depend on how many
/// cores ran it or in which order.
/// </summary>
internal sealed class NearestNeighbourField
{
    // How many targets are handled between cancellation checks: well under a millisecond of work.
    private const int CancellationStride = 64;

    // A fixed count, so the same seed gives the same fill on any machine; more than the 2 cores of the
    // smallest machine so that uneven parts still keep both busy.
    public const int Parts = 4;

    private readonly PyramidLevel _level;
    private readonly PatchLayout _layout;
    private readonly XorShiftRandom _random;
    private readonly XorShiftRandom[] _partRandoms;
    private readonly int[] _partStarts;
    private int _searchReach;

    public NearestNeighbourField(PyramidLevel level, XorShiftRandom random)
    {
        _level = level;
        _layout = level.Layout;
        _random = random;
        Match = new int[level.Width * level.Height];
        Cost = new int[level.Width * level.Height];
        _partRandoms = new XorShiftRandom[Parts];
        for (int part = 0; part < Parts; part++)
            _partRandoms[part] = new XorShiftRandom(((ulong)(uint)random.Next(int.MaxValue) << 8) | (uint)part);
        _searchReach = Math.Max(level.Width, level.Height);
        _partStarts = new int[Parts + 1];
        for (int part = 0; part <= Parts; part++)
            _partStarts[part] = (int)((long)_layout.Targets.Length * part / Parts);
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

    /// <summary>
    /// Scales the coarser level's matches up; where that lands off the sources, starts randomly. The coarser
    /// level searched the whole picture: the random search here looks within a quarter of it.
    /// </summary>
    public void InitialiseFrom(NearestNeighbourField coarser)
    {
        _searchReach = Math.Max(1, Math.Max(_layout.Width, _layout.Height) / 4);
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

    /// <summary>One PatchMatch sweep over all targets, in scanline order or its reverse, the parts in parallel.</summary>
    public void Improve(bool reverse, CancellationToken cancellationToken) =>
        ForEachPart(part => ImprovePart(part, reverse, cancellationToken), cancellationToken);

    /// <summary>Recomputes every target's cost, since voting changed the hole pixels the costs were measured on.</summary>
    public void RefreshCosts(CancellationToken cancellationToken) => ForEachPart(part =>
    {
        int[] targets = _layout.Targets;
        for (int n = _partStarts[part]; n < _partStarts[part + 1]; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            Cost[targets[n]] = Distance(targets[n], Match[targets[n]], int.MaxValue);
        }
    }, cancellationToken);

    /// <summary>The patch distance of one target to its match now (the hole pixels may have changed since the last search).</summary>
    public int MeasureCost(int target) => Distance(target, Match[target], int.MaxValue);

    private static void ForEachPart(Action<int> body, CancellationToken cancellationToken) => Parallelism.For(Parts, body, cancellationToken);

    private void ImprovePart(int part, bool reverse, CancellationToken cancellationToken)
    {
        int[] targets = _layout.Targets;
        int first = _partStarts[part], end = _partStarts[part + 1];
        if (first == end)
            return;
        // pixel indices owned by this part: a neighbour outside them may be changing on another thread
        int low = targets[first], high = targets[end - 1];
        XorShiftRandom random = _partRandoms[part];
        int step = reverse ? -1 : 1;
        int start = reverse ? end - 1 : first;
        for (int n = 0; n < end - first; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int target = targets[start + n * step];
            Propagate(target, target - step, step, low, high);
            Propagate(target, target - step * _layout.Width, step * _layout.Width, low, high);
            RandomSearch(target, random);
        }
    }

    // A neighbour's match shifted by the same step is a likely match here, since coherent regions copy coherently.
    private void Propagate(int target, int neighbour, int shift, int low, int high)
    {
        if (neighbour >= low && neighbour <= high && _layout.IsTarget[neighbour])
            TryCandidate(target, Match[neighbour] + shift);
    }

    private void RandomSearch(int target, XorShiftRandom random)
    {
        int width = _layout.Width;
        int radius = _layout.Radius;
        int sx = Match[target] % width;
        int sy = Match[target] / width;
        for (int reach = _searchReach; reach >= 1; reach /= 2)
        {
            int x = Math.Clamp(sx + random.Next(2 * reach + 1) - reach, radius, width - 1 - radius);
            int y = Math.Clamp(sy + random.Next(2 * reach + 1) - reach, radius, _layout.Height - 1 - radius);
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
