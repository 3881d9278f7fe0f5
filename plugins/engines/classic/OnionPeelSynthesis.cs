namespace EditorBridge.Engines.Classic;

/// <summary>
/// First guess for the coarsest level: grows the hole inward ring by ring, each pixel copied from the
/// centre of the source patch that best matches its already-filled surroundings (Efros and Leung).
/// A smooth first guess would steer the patch search toward smooth sources and the fill would stay flat.
/// </summary>
internal static class OnionPeelSynthesis
{
    // Caps ring pixels times candidate sources, so a huge coarsest level cannot take seconds here.
    private const long ComparisonBudget = 2_000_000;

    public static void Fill(PyramidLevel level, XorShiftRandom random, CancellationToken cancellationToken)
    {
        var filled = new bool[level.Hole.Length];
        var queued = new bool[level.Hole.Length];
        int holeCount = 0;
        for (int p = 0; p < filled.Length; p++)
        {
            filled[p] = level.Hole[p] == 0;
            holeCount += filled[p] ? 0 : 1;
        }
        int[] candidates = Candidates(level.Layout.Sources, holeCount, random);
        var ring = FirstRing(level, filled, queued);
        var sources = new int[level.Hole.Length];
        while (ring.Count > 0)
        {
            foreach (int p in ring)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sources[p] = BestSource(level, filled, p, candidates);
            }
            foreach (int p in ring)
            {
                Array.Copy(level.Pixels, WorkingPixels.Channels * sources[p], level.Pixels, WorkingPixels.Channels * p, WorkingPixels.Channels);
                filled[p] = true;
            }
            ring = NextRing(level, ring, filled, queued);
        }
    }

    private static int[] Candidates(int[] sources, int holeCount, XorShiftRandom random)
    {
        long affordable = Math.Max(1, ComparisonBudget / Math.Max(1, holeCount));
        if (sources.Length <= affordable)
            return sources;
        var picked = new int[affordable];
        for (int i = 0; i < picked.Length; i++)
            picked[i] = sources[random.Next(sources.Length)];
        return picked;
    }

    private static int BestSource(PyramidLevel level, bool[] filled, int p, int[] candidates)
    {
        int[] offsets = FilledOffsets(level, filled, p);
        byte[] pixels = level.Pixels;
        int best = candidates[0];
        long bestCost = long.MaxValue;
        foreach (int source in candidates)
        {
            long cost = 0;
            for (int i = 0; i < offsets.Length && cost < bestCost; i++)
            {
                int a = WorkingPixels.Channels * (p + offsets[i]);
                int b = WorkingPixels.Channels * (source + offsets[i]);
                for (int c = 0; c < WorkingPixels.Channels; c++)
                {
                    int d = pixels[a + c] - pixels[b + c];
                    cost += d * d;
                }
            }
            if (cost < bestCost)
            {
                bestCost = cost;
                best = source;
            }
        }
        return best;
    }

    // Offsets, relative to p, of the pixels in p's patch window that lie inside the picture and are filled.
    private static int[] FilledOffsets(PyramidLevel level, bool[] filled, int p)
    {
        int radius = level.Layout.Radius;
        int x = p % level.Width;
        int y = p / level.Width;
        var offsets = new List<int>();
        for (int ny = Math.Max(0, y - radius); ny <= Math.Min(level.Height - 1, y + radius); ny++)
        {
            for (int nx = Math.Max(0, x - radius); nx <= Math.Min(level.Width - 1, x + radius); nx++)
            {
                if (filled[ny * level.Width + nx])
                    offsets.Add((ny - y) * level.Width + (nx - x));
            }
        }
        return offsets.ToArray();
    }

    private static List<int> FirstRing(PyramidLevel level, bool[] filled, bool[] queued)
    {
        var ring = new List<int>();
        for (int p = 0; p < filled.Length; p++)
        {
            if (filled[p])
                continue;
            foreach (int q in Neighbours(level, p))
            {
                if (filled[q])
                {
                    queued[p] = true;
                    ring.Add(p);
                    break;
                }
            }
        }
        return ring;
    }

    private static List<int> NextRing(PyramidLevel level, List<int> ring, bool[] filled, bool[] queued)
    {
        var next = new List<int>();
        foreach (int p in ring)
        {
            foreach (int q in Neighbours(level, p))
            {
                if (!filled[q] && !queued[q])
                {
                    queued[q] = true;
                    next.Add(q);
                }
            }
        }
        return next;
    }

    private static IEnumerable<int> Neighbours(PyramidLevel level, int p)
    {
        int x = p % level.Width;
        int y = p / level.Width;
        for (int ny = Math.Max(0, y - 1); ny <= Math.Min(level.Height - 1, y + 1); ny++)
            for (int nx = Math.Max(0, x - 1); nx <= Math.Min(level.Width - 1, x + 1); nx++)
                if (nx != x || ny != y)
                    yield return ny * level.Width + nx;
    }
}
