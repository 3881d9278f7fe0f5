using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Turns selection outlines into an 8-bit anti-aliased coverage mask. Each pixel row is cut into
/// <see cref="SubRows"/> sub-scanlines; along each, the covered length of every pixel is computed
/// exactly, so vertical edges are exact and horizontal ones are within 1/(2·SubRows) of a pixel.
/// </summary>
public static class SelectionRasterizer
{
    public const int SubRows = 16;

    /// <summary>Rasterizes <paramref name="polygons"/> (each closed implicitly) clipped to <paramref name="clip"/>; null when nothing is covered.</summary>
    public static SelectionMask? Rasterize(IReadOnlyList<IReadOnlyList<SelectionPoint>> polygons, FillRule rule, PixelRect clip)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        var edges = new List<Edge>();
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var polygon in polygons)
        {
            for (int i = 0; i < polygon.Count; i++)
            {
                var a = polygon[i];
                var b = polygon[(i + 1) % polygon.Count];
                if (!double.IsFinite(a.X) || !double.IsFinite(a.Y))
                    throw new ArgumentException($"polygon point ({a.X}, {a.Y}) is not finite", nameof(polygons));
                minX = Math.Min(minX, a.X);
                maxX = Math.Max(maxX, a.X);
                minY = Math.Min(minY, a.Y);
                maxY = Math.Max(maxY, a.Y);
                if (a.Y != b.Y)
                    edges.Add(a.Y < b.Y ? new Edge(a.X, a.Y, b.X, b.Y, 1) : new Edge(b.X, b.Y, a.X, a.Y, -1));
            }
        }

        if (edges.Count == 0)
            return null;
        var bounds = PixelRect.FromEdges(
            (int)Math.Floor(Math.Max(minX, int.MinValue / 4)), (int)Math.Floor(Math.Max(minY, int.MinValue / 4)),
            (int)Math.Ceiling(Math.Min(maxX, int.MaxValue / 4)), (int)Math.Ceiling(Math.Min(maxY, int.MaxValue / 4))).Intersect(clip);
        if (bounds.IsEmpty)
            return null;

        var coverage = new byte[bounds.Area];
        // partial[] takes the covered fraction of pixels where a span starts or ends; runs[] is a
        // difference array for the pixels a span covers whole, folded in once per row.
        var partial = new float[bounds.Width + 1];
        var runs = new float[bounds.Width + 1];
        var crossings = new List<(double X, int Winding)>();
        const float Step = 1f / SubRows;
        for (int y = bounds.Y; y < bounds.Bottom; y++)
        {
            Array.Clear(partial);
            Array.Clear(runs);
            for (int k = 0; k < SubRows; k++)
            {
                double sy = y + (k + 0.5) / SubRows;
                crossings.Clear();
                foreach (var e in edges)
                {
                    if (sy >= e.Y0 && sy < e.Y1)
                        crossings.Add((e.X0 + (sy - e.Y0) * (e.X1 - e.X0) / (e.Y1 - e.Y0), e.Winding));
                }

                if (crossings.Count < 2)
                    continue;
                crossings.Sort((p, q) => p.X.CompareTo(q.X));
                int winding = 0;
                for (int c = 0; c < crossings.Count - 1; c++)
                {
                    winding += crossings[c].Winding;
                    bool inside = rule == FillRule.NonZero ? winding != 0 : (winding & 1) != 0;
                    if (inside)
                        AddSpan(partial, runs, crossings[c].X - bounds.X, crossings[c + 1].X - bounds.X, bounds.Width, Step);
                }
            }

            var line = coverage.AsSpan((y - bounds.Y) * bounds.Width, bounds.Width);
            float run = 0;
            for (int x = 0; x < bounds.Width; x++)
            {
                run += runs[x];
                float v = Math.Clamp(partial[x] + run, 0f, 1f);
                line[x] = (byte)(v * 255f + 0.5f);
            }
        }

        return new SelectionMask(bounds, coverage);
    }

    private static void AddSpan(float[] partial, float[] runs, double from, double to, int width, float weight)
    {
        from = Math.Clamp(from, 0, width);
        to = Math.Clamp(to, 0, width);
        if (to <= from)
            return;
        int first = (int)Math.Floor(from), last = (int)Math.Ceiling(to) - 1;
        if (first == last)
        {
            partial[first] += (float)(to - from) * weight;
            return;
        }

        partial[first] += (float)(first + 1 - from) * weight;
        partial[last] += (float)(to - last) * weight;
        if (last > first + 1)
        {
            runs[first + 1] += weight;
            runs[last] -= weight;
        }
    }

    private readonly record struct Edge(double X0, double Y0, double X1, double Y1, int Winding);
}
