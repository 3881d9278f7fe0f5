namespace EditorBridge.Engines.Diffusion.Operations;

/// <summary>
/// The band around a shape's edge: pixels within <c>radius</c> of both the shape and the outside
/// (square neighbourhood, from an integral image of the shape).
/// </summary>
internal static class SeamBand
{
    public static byte[] Compute(bool[] shape, int width, int height, int radius)
    {
        var sums = new int[(width + 1) * (height + 1)];
        for (int y = 0; y < height; y++)
        {
            int row = 0;
            for (int x = 0; x < width; x++)
            {
                row += shape[y * width + x] ? 1 : 0;
                sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1] + row;
            }
        }

        var band = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            int y0 = Math.Max(0, y - radius), y1 = Math.Min(height, y + radius + 1);
            for (int x = 0; x < width; x++)
            {
                int x0 = Math.Max(0, x - radius), x1 = Math.Min(width, x + radius + 1);
                int inside = sums[y1 * (width + 1) + x1] - sums[y0 * (width + 1) + x1] - sums[y1 * (width + 1) + x0] + sums[y0 * (width + 1) + x0];
                if (inside > 0 && inside < (x1 - x0) * (y1 - y0))
                    band[y * width + x] = 255;
            }
        }

        return band;
    }
}
