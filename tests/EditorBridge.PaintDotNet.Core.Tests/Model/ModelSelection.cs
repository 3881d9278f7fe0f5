using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core;

namespace EditorBridge.PaintDotNet.Core.Tests.Model;

/// <summary>
/// Stands in for Paint.NET's selection as an effect sees it (<c>IEffectSelectionInfo</c>):
/// outlines (polygons combined by a fill rule), <see cref="RenderBounds"/> (their pixel box),
/// <see cref="RenderScans"/> (rectangles covering every touched pixel) and <see cref="MaskBitmap"/>
/// (8-bit coverage, anti-aliased or not). The mask comes from point sampling each pixel on a
/// 16×16 grid: its own method, not the core's rasterizer, so the two check each other. With
/// nothing selected, Paint.NET reports the whole canvas as selected; <see cref="None"/> does too.
/// </summary>
public sealed class ModelSelection
{
    public const int Grid = 16;

    private ModelSelection(int canvasWidth, int canvasHeight, byte[] mask, IReadOnlyList<IReadOnlyList<SelectionPoint>> polygons)
    {
        CanvasWidth = canvasWidth;
        CanvasHeight = canvasHeight;
        MaskBitmap = mask;
        Polygons = polygons;
        var scans = new List<PixelRect>();
        for (int y = 0; y < canvasHeight; y++)
        {
            int x = 0;
            while (x < canvasWidth)
            {
                while (x < canvasWidth && mask[y * canvasWidth + x] == 0)
                    x++;
                int start = x;
                while (x < canvasWidth && mask[y * canvasWidth + x] != 0)
                    x++;
                if (x > start)
                    scans.Add(new PixelRect(start, y, x - start, 1));
            }
        }

        RenderScans = scans;
        RenderBounds = scans.Aggregate(default(PixelRect), (a, r) => a.Union(r));
    }

    public int CanvasWidth { get; }

    public int CanvasHeight { get; }

    /// <summary>Canvas-sized coverage, one byte per pixel.</summary>
    public byte[] MaskBitmap { get; }

    public IReadOnlyList<IReadOnlyList<SelectionPoint>> Polygons { get; }

    public IReadOnlyList<PixelRect> RenderScans { get; }

    public PixelRect RenderBounds { get; }

    public byte At(int x, int y) => MaskBitmap[y * CanvasWidth + x];

    /// <summary>No selection: Paint.NET hands effects the whole canvas, fully selected.</summary>
    public static ModelSelection None(int width, int height) =>
        FromPolygons(width, height, [Rectangle(0, 0, width, height)], antialias: false);

    /// <summary>A selection whose every pixel is unselected (what a degenerate outline leaves).</summary>
    public static ModelSelection Empty(int width, int height) =>
        new(width, height, new byte[width * height], []);

    public static ModelSelection FromPolygons(int width, int height, IReadOnlyList<IReadOnlyList<SelectionPoint>> polygons, bool antialias = true, FillRule rule = FillRule.NonZero)
    {
        var mask = new byte[width * height];
        var crossings = new List<(double X, int Winding)>();
        for (int y = 0; y < height; y++)
        {
            var hits = new int[width];
            for (int sy = 0; sy < Grid; sy++)
            {
                double py = y + (sy + 0.5) / Grid;
                crossings.Clear();
                foreach (var polygon in polygons)
                    for (int i = 0; i < polygon.Count; i++)
                    {
                        var (a, b) = (polygon[i], polygon[(i + 1) % polygon.Count]);
                        if (a.Y == b.Y)
                            continue;
                        bool up = a.Y < b.Y;
                        var (lo, hi) = up ? (a, b) : (b, a);
                        if (py >= lo.Y && py < hi.Y)
                            crossings.Add((lo.X + (py - lo.Y) * (hi.X - lo.X) / (hi.Y - lo.Y), up ? 1 : -1));
                    }

                // samples sit at x + (sx + 0.5) / Grid; sample number s = x * Grid + sx
                crossings.Sort((p, q) => p.X.CompareTo(q.X));
                int winding = 0;
                for (int c = 0; c + 1 < crossings.Count; c++)
                {
                    winding += crossings[c].Winding;
                    if (!(rule == FillRule.NonZero ? winding != 0 : (winding & 1) != 0))
                        continue;
                    long first = Math.Max(0, (long)Math.Ceiling(crossings[c].X * Grid - 0.5));
                    long last = Math.Min((long)width * Grid - 1, (long)Math.Ceiling(crossings[c + 1].X * Grid - 0.5) - 1);
                    for (long p = first / Grid; p <= last / Grid && last >= first; p++)
                        hits[p] += (int)(Math.Min(last, p * Grid + Grid - 1) - Math.Max(first, p * Grid) + 1);
                }
            }

            for (int x = 0; x < width; x++)
            {
                int v = (hits[x] * 255 + Grid * Grid / 2) / (Grid * Grid);
                mask[y * width + x] = (byte)(antialias ? v : (hits[x] * 2 >= Grid * Grid ? 255 : 0));
            }
        }

        return new ModelSelection(width, height, mask, polygons);
    }

    public static IReadOnlyList<SelectionPoint> Rectangle(double x, double y, double width, double height) =>
        [new(x, y), new(x + width, y), new(x + width, y + height), new(x, y + height)];

    public static IReadOnlyList<SelectionPoint> Ellipse(double cx, double cy, double rx, double ry, int points = 96) =>
        Enumerable.Range(0, points).Select(i => new SelectionPoint(cx + rx * Math.Cos(2 * Math.PI * i / points), cy + ry * Math.Sin(2 * Math.PI * i / points))).ToList();
}
