using System.Globalization;
using EditorBridge.Imaging;

namespace EditorBridge.Cli.Images;

/// <summary>
/// <c>fill --extend left,top,right,bottom</c>: the new canvas around the picture, selected whole, for
/// the daemon to outpaint (GeometryOptions.outpaint). The geometry (the layer growing over the
/// selection, the context around it) is the daemon's; this only says which pixels are new.
/// </summary>
public sealed record CanvasExtension(int Left, int Top, int Right, int Bottom)
{
    /// <summary>The largest extension a side may ask for (the daemon's size limits apply to the result too).</summary>
    public const int MaxSide = 1 << 14;

    /// <summary>Parses "left,top,right,bottom" (pixels, each 0 or more, not all 0).</summary>
    public static CanvasExtension Parse(string spec)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= MaxSide))
            throw new UsageException($"--extend '{spec}': expected left,top,right,bottom in pixels (0..{MaxSide} each), e.g. 0,0,128,0");
        var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        if (v.All(x => x == 0))
            throw new UsageException($"--extend '{spec}': every side is 0; extend at least one");
        return new CanvasExtension(v[0], v[1], v[2], v[3]);
    }

    /// <summary>The picture's bounds grown by the extension (the picture stays at 0,0; the new canvas may start at negative offsets).</summary>
    public PixelRect Around(PixelRect picture) =>
        PixelRect.FromEdges(picture.X - Left, picture.Y - Top, picture.Right + Right, picture.Bottom + Bottom);

    /// <summary>The new canvas selected whole, together with <paramref name="selection"/> (the painter's own, if any).</summary>
    public SelectionMask Selection(PixelRect picture, SelectionMask? selection)
    {
        var bounds = Around(picture);
        var coverage = selection?.CoverageIn(bounds) ?? new byte[bounds.Area];
        for (int y = bounds.Y; y < bounds.Bottom; y++)
        {
            for (int x = bounds.X; x < bounds.Right; x++)
            {
                if (!picture.Contains(x, y))
                    coverage[(y - bounds.Y) * bounds.Width + x - bounds.X] = 255;
            }
        }

        return new SelectionMask(bounds, coverage);
    }
}
