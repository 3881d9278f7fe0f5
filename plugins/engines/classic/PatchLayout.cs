namespace EditorBridge.Engines.Classic;

/// <summary>
/// Where patches of one size may sit on a pyramid level: targets are patch centres whose patch
/// overlaps the hole, sources are centres whose patch lies wholly on known pixels.
/// </summary>
internal sealed class PatchLayout
{
    private PatchLayout(int width, int height, int radius, bool[] isTarget, bool[] isSource, int[] targets, int[] sources)
    {
        Width = width;
        Height = height;
        Radius = radius;
        IsTarget = isTarget;
        IsSource = isSource;
        Targets = targets;
        Sources = sources;
    }

    public int Width { get; }
    public int Height { get; }
    public int Radius { get; }
    public int Size => 2 * Radius + 1;
    public bool[] IsTarget { get; }
    public bool[] IsSource { get; }

    /// <summary>Target centres (pixel indices) in scanline order.</summary>
    public int[] Targets { get; }

    /// <summary>Source centres (pixel indices) in scanline order.</summary>
    public int[] Sources { get; }

    /// <summary>Byte offset of the top-left pixel of the patch centred at pixel <paramref name="centre"/>.</summary>
    public int TopLeftByte(int centre) => (centre - Radius * Width - Radius) * WorkingPixels.Channels;

    public static PatchLayout Create(int width, int height, byte[] hole, int radius, CancellationToken cancellationToken)
    {
        int[] holeCounts = HoleIntegral(width, height, hole);
        var isTarget = new bool[width * height];
        var isSource = new bool[width * height];
        var targets = new List<int>();
        var sources = new List<int>();
        for (int y = radius; y < height - radius; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int x = radius; x < width - radius; x++)
            {
                int p = y * width + x;
                bool overlapsHole = HolesInPatch(holeCounts, width, x, y, radius) > 0;
                (overlapsHole ? isTarget : isSource)[p] = true;
                (overlapsHole ? targets : sources).Add(p);
            }
        }
        return new PatchLayout(width, height, radius, isTarget, isSource, targets.ToArray(), sources.ToArray());
    }

    private static int[] HoleIntegral(int width, int height, byte[] hole)
    {
        int stride = width + 1;
        var sums = new int[stride * (height + 1)];
        for (int y = 0; y < height; y++)
        {
            int rowSum = 0;
            for (int x = 0; x < width; x++)
            {
                rowSum += hole[y * width + x] != 0 ? 1 : 0;
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + rowSum;
            }
        }
        return sums;
    }

    private static int HolesInPatch(int[] sums, int width, int x, int y, int radius)
    {
        int stride = width + 1;
        int top = (y - radius) * stride;
        int bottom = (y + radius + 1) * stride;
        int left = x - radius;
        int right = x + radius + 1;
        return sums[bottom + right] - sums[bottom + left] - sums[top + right] + sums[top + left];
    }
}
