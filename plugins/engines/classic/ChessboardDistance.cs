namespace EditorBridge.Engines.Classic;

/// <summary>Two-pass chessboard distance transform: for each hole pixel, the steps to the nearest known pixel.</summary>
internal static class ChessboardDistance
{
    public static int[] Compute(int width, int height, byte[] hole, CancellationToken cancellationToken)
    {
        int far = width + height;
        var distance = new int[width * height];
        for (int p = 0; p < distance.Length; p++)
            distance[p] = hole[p] != 0 ? far : 0;
        for (int y = 0; y < height; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int x = 0; x < width; x++)
                Relax(distance, width, height, x, y, -1);
        }
        for (int y = height - 1; y >= 0; y--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int x = width - 1; x >= 0; x--)
                Relax(distance, width, height, x, y, 1);
        }
        return distance;
    }

    // Looks at the four neighbours already visited in this pass: the previous one in the row and three in the row before.
    private static void Relax(int[] distance, int width, int height, int x, int y, int step)
    {
        int p = y * width + x;
        if (distance[p] == 0)
            return;
        int best = distance[p];
        int px = x + step;
        int py = y + step;
        if (px >= 0 && px < width)
            best = Math.Min(best, distance[y * width + px] + 1);
        if (py >= 0 && py < height)
        {
            for (int nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                best = Math.Min(best, distance[py * width + nx] + 1);
        }
        distance[p] = best;
    }
}
