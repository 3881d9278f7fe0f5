using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Flat colours under line art from colour hints, in the spirit of LazyBrush (Sýkora et al. 2009):
/// every pixel takes the colour of the hint it can reach most cheaply. Stepping onto ink is very
/// expensive; stepping into a gap (what a morphological closing of the ink by the gap size adds)
/// costs as much as a long walk; plain paper costs so little that crossing the whole picture is
/// cheaper than one gap. So colour stays inside the regions the lines enclose, also through gaps,
/// and a region with no hint takes the colour of the neighbour it is least separated from.
/// (LazyBrush solves a multi-label graph cut; this is a geodesic Voronoi partition with its two
/// terms, solved exactly with Dijkstra.)
/// </summary>
internal static class InkBarrierFlats
{
    public const float InkCost = 200;
    public const float GapCost = 10;

    /// <summary>Cost of crossing the whole work area's longer side on paper.</summary>
    public const float AcrossCost = 5;

    /// <param name="ink">Ink per pixel, 0..1 (<see cref="InkMap"/>).</param>
    /// <param name="seeds">Packed RGB hints, -1 where none (<see cref="HintSeeds"/>); at least one.</param>
    /// <param name="gap">Gaps in lines up to about this many pixels count as closed.</param>
    /// <returns>Packed RGB flat colour per pixel.</returns>
    public static int[] Fill(int width, int height, float[] ink, int[] seeds, int gap, CancellationToken cancellationToken)
    {
        var barrier = GapPixels(width, height, ink, gap);
        float paper = AcrossCost / Math.Max(width, height);
        var cost = new float[ink.Length];
        var colour = new int[ink.Length];
        Array.Fill(cost, float.PositiveInfinity);
        var queue = new PriorityQueue<int, float>();
        for (int p = 0; p < seeds.Length; p++)
        {
            if (seeds[p] < 0)
                continue;
            cost[p] = 0;
            colour[p] = seeds[p];
            queue.Enqueue(p, 0);
        }

        int popped = 0;
        while (queue.TryDequeue(out int p, out float c))
        {
            if (c > cost[p])
                continue;
            if ((++popped & 0xFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int x = p % width, y = p / width;
            for (int k = 0; k < 4; k++)
            {
                int nx = x + (k == 0 ? 1 : k == 1 ? -1 : 0), ny = y + (k == 2 ? 1 : k == 3 ? -1 : 0);
                if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                    continue;
                int q = ny * width + nx;
                float step = paper + InkCost * ink[q] * ink[q] + GapCost * barrier[q];
                if (c + step < cost[q])
                {
                    cost[q] = c + step;
                    colour[q] = colour[p];
                    queue.Enqueue(q, c + step);
                }
            }
        }

        return colour;
    }

    // What closing the ink by the gap size adds: gaps of up to `gap` pixels (and spaces that narrow).
    private static float[] GapPixels(int width, int height, float[] ink, int gap)
    {
        if (gap <= 0)
            return new float[ink.Length];
        using var source = RgbaMat.FromFloats(height, width, 1, ink);
        int radius = (gap + 1) / 2;
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(2 * radius + 1, 2 * radius + 1));
        using var closed = new Mat();
        Cv2.MorphologyEx(source, closed, MorphTypes.Close, kernel, borderType: BorderTypes.Replicate);
        var added = RgbaMat.Floats(closed);
        for (int p = 0; p < added.Length; p++)
            added[p] = Math.Max(0, added[p] - ink[p]);
        return added;
    }
}
