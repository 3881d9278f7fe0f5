using EditorBridge.Protocol.V1;

namespace EditorBridge.Reliability;

/// <summary>
/// The painter's pixels: a result layer lies inside the layer that was sent, has its format, and
/// every pixel farther than the grow distance from any selected pixel is the sent pixel, bit for
/// bit. "Farther" is measured conservatively (chessboard distance), so the check holds whatever
/// distance the daemon grows the selection with.
/// </summary>
public static class PixelCheck
{
    public static string? OutsideSelection(Image sent, byte[] sentPixels, Mask? mask, byte[]? coverage, int grow, Image result, byte[] resultPixels)
    {
        int bpp = sent.Format == PixelFormat.Rgba16 ? 8 : 4;
        if (result.Format != sent.Format)
            return $"result format {result.Format}, sent {sent.Format}";
        if (resultPixels.Length != (long)result.Width * result.Height * bpp)
            return $"result has {resultPixels.Length} bytes for {result.Width}x{result.Height}";
        long rx = result.OffsetX - (long)sent.OffsetX, ry = result.OffsetY - (long)sent.OffsetY;
        if (rx < 0 || ry < 0 || rx + result.Width > sent.Width || ry + result.Height > sent.Height)
            return $"result bounds ({result.OffsetX},{result.OffsetY} {result.Width}x{result.Height}) reach outside the layer";
        if (mask is null || coverage is null)
            return null;

        // summed-area table of "selected" over the mask, for O(1) window counts
        int mw = mask.Width, mh = mask.Height;
        var sat = new int[(mw + 1) * (mh + 1)];
        for (int y = 0; y < mh; y++)
            for (int x = 0; x < mw; x++)
                sat[(y + 1) * (mw + 1) + x + 1] = (coverage[y * mw + x] != 0 ? 1 : 0) + sat[y * (mw + 1) + x + 1] + sat[(y + 1) * (mw + 1) + x] - sat[y * (mw + 1) + x];
        int checkedPixels = 0;
        for (int y = 0; y < result.Height; y++)
        {
            for (int x = 0; x < result.Width; x++)
            {
                long cx = result.OffsetX + (long)x, cy = result.OffsetY + (long)y;
                long x0 = Math.Clamp(cx - grow - mask.OffsetX, 0, mw), x1 = Math.Clamp(cx + grow + 1 - mask.OffsetX, 0, mw);
                long y0 = Math.Clamp(cy - grow - mask.OffsetY, 0, mh), y1 = Math.Clamp(cy + grow + 1 - mask.OffsetY, 0, mh);
                int near = sat[y1 * (mw + 1) + x1] - sat[y0 * (mw + 1) + x1] - sat[y1 * (mw + 1) + x0] + sat[y0 * (mw + 1) + x0];
                if (near > 0)
                    continue;
                checkedPixels++;
                long at = ((ry + y) * sent.Width + rx + x) * bpp;
                if (!sentPixels.AsSpan((int)at, bpp).SequenceEqual(resultPixels.AsSpan((y * result.Width + x) * bpp, bpp)))
                    return $"pixel ({cx},{cy}) outside the selection changed";
            }
        }

        return null;
    }
}
