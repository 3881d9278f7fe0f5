using EditorBridge.Protocol.V1;

namespace EditorBridge.Stress;

/// <summary>
/// The painter's pixels: a result layer lies inside the layer that was sent, has its format, and
/// every pixel farther than the grow distance (Euclidean) from every selected pixel is the sent
/// pixel, bit for bit. The daemon grows selections with a chamfer distance, which is never
/// shorter than the Euclidean one, so a pixel this check calls "outside" is outside for the
/// daemon too. Distances come from an exact Euclidean distance transform (Felzenszwalb and
/// Huttenlocher), independent of the daemon's code.
/// </summary>
public static class PixelCheck
{
    public static string? OutsideSelection(Image sent, byte[] sentPixels, Mask? mask, byte[]? coverage, int grow, Image result, byte[] resultPixels) =>
        OutsideSelection(sent, sentPixels, mask, coverage, grow, result, resultPixels, out _);

    /// <summary>As above; <paramref name="checkedPixels"/> says how many result pixels were outside the selection and compared.</summary>
    public static string? OutsideSelection(Image sent, byte[] sentPixels, Mask? mask, byte[]? coverage, int grow, Image result, byte[] resultPixels, out int checkedPixels)
    {
        checkedPixels = 0;
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

        // squared distance to the nearest selected pixel, over the mask grown by `grow` on every side
        long gx = mask.OffsetX - (long)grow, gy = mask.OffsetY - (long)grow;
        int gw = mask.Width + 2 * grow, gh = mask.Height + 2 * grow;
        var d2 = SquaredDistances(gw, gh, (x, y) =>
        {
            int mx = x - grow, my = y - grow;
            return mx >= 0 && my >= 0 && mx < mask.Width && my < mask.Height && coverage[my * mask.Width + mx] != 0;
        });
        long limit = (long)grow * grow;
        for (int y = 0; y < result.Height; y++)
        {
            for (int x = 0; x < result.Width; x++)
            {
                long cx = result.OffsetX + (long)x - gx, cy = result.OffsetY + (long)y - gy;
                bool inside = cx >= 0 && cy >= 0 && cx < gw && cy < gh;
                if (inside && d2[cy * gw + cx] <= limit)
                    continue;
                checkedPixels++;
                long at = ((ry + y) * sent.Width + rx + x) * bpp;
                if (!sentPixels.AsSpan((int)at, bpp).SequenceEqual(resultPixels.AsSpan((y * result.Width + x) * bpp, bpp)))
                    return $"pixel ({result.OffsetX + x},{result.OffsetY + y}) outside the selection changed";
            }
        }

        return null;
    }

    private static long[] SquaredDistances(int width, int height, Func<int, int, bool> selected)
    {
        const long Infinity = long.MaxValue / 4;
        var grid = new long[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                grid[y * width + x] = selected(x, y) ? 0 : Infinity;
        var column = new long[height];
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
                column[y] = grid[y * width + x];
            var d = Transform(column);
            for (int y = 0; y < height; y++)
                grid[y * width + x] = d[y];
        }

        var row = new long[width];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(grid, y * width, row, 0, width);
            Array.Copy(Transform(row), 0, grid, y * width, width);
        }

        return grid;
    }

    // One-dimensional squared distance transform of f (lower envelope of parabolas).
    private static long[] Transform(long[] f)
    {
        int n = f.Length;
        var d = new long[n];
        var v = new int[n];
        var z = new double[n + 1];
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (f[q] >= long.MaxValue / 4)
                continue;
            double s = double.NegativeInfinity;
            while (k >= 0)
            {
                s = ((f[q] + (double)q * q) - (f[v[k]] + (double)v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
                if (s > z[k])
                    break;
                k--;
            }

            k++;
            v[k] = q;
            z[k] = k == 0 ? double.NegativeInfinity : s;
            z[k + 1] = double.PositiveInfinity;
        }

        if (k < 0)
        {
            Array.Fill(d, long.MaxValue / 4);
            return d;
        }

        int j = 0;
        for (int q = 0; q < n; q++)
        {
            while (z[j + 1] < q)
                j++;
            long dq = q - v[j];
            d[q] = dq * dq + f[v[j]];
        }

        return d;
    }
}
