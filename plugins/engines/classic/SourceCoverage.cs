namespace EditorBridge.Engines.Classic;

/// <summary>
/// How much of the known surroundings of the hole some source patch contains. At coarse levels the
/// hole swallows whole patches' worth of context; a fill started there cannot copy what it no longer sees,
/// and the finer levels seldom recover.
/// </summary>
internal static class SourceCoverage
{
    /// <summary>Fraction of the known pixels within a patch width of the hole that lie in at least one source patch.</summary>
    public static double Of(PyramidLevel level, CancellationToken cancellationToken)
    {
        PatchLayout layout = level.Layout;
        int[] distanceToHole = ChessboardDistance.Compute(level.Width, level.Height, Inverted(level.Hole), cancellationToken);
        int[] sourceCounts = SourceIntegral(layout);
        int near = 0, covered = 0;
        for (int y = 0; y < level.Height; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int x = 0; x < level.Width; x++)
            {
                int p = y * level.Width + x;
                if (level.Hole[p] != 0 || distanceToHole[p] > layout.Size)
                    continue;
                near++;
                covered += SourcesAround(sourceCounts, layout, x, y) > 0 ? 1 : 0;
            }
        }
        return near == 0 ? 0 : (double)covered / near;
    }

    private static byte[] Inverted(byte[] hole)
    {
        var known = new byte[hole.Length];
        for (int p = 0; p < hole.Length; p++)
            known[p] = hole[p] == 0 ? (byte)1 : (byte)0;
        return known;
    }

    private static int[] SourceIntegral(PatchLayout layout)
    {
        int stride = layout.Width + 1;
        var sums = new int[stride * (layout.Height + 1)];
        for (int y = 0; y < layout.Height; y++)
        {
            int rowSum = 0;
            for (int x = 0; x < layout.Width; x++)
            {
                rowSum += layout.IsSource[y * layout.Width + x] ? 1 : 0;
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + rowSum;
            }
        }
        return sums;
    }

    // Source centres within the patch radius of (x, y): each of their patches contains (x, y).
    private static int SourcesAround(int[] sums, PatchLayout layout, int x, int y)
    {
        int stride = layout.Width + 1;
        int left = Math.Max(0, x - layout.Radius);
        int right = Math.Min(layout.Width, x + layout.Radius + 1);
        int top = Math.Max(0, y - layout.Radius) * stride;
        int bottom = Math.Min(layout.Height, y + layout.Radius + 1) * stride;
        return sums[bottom + right] - sums[bottom + left] - sums[top + right] + sums[top + left];
    }
}
