namespace EditorBridge.Inference;

/// <summary>Bilinear resizing of pictures going to and coming from fixed-size models (pixel centres aligned).</summary>
public static class PlaneResize
{
    /// <summary>RGBA8 pixels to a new size.</summary>
    public static byte[] Rgba(ReadOnlySpan<byte> rgba, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight)
            return rgba.ToArray();
        var result = new byte[newWidth * newHeight * 4];
        for (int y = 0; y < newHeight; y++)
        {
            var (y0, y1, fy) = Source(y, height, newHeight);
            for (int x = 0; x < newWidth; x++)
            {
                var (x0, x1, fx) = Source(x, width, newWidth);
                for (int c = 0; c < 4; c++)
                {
                    double top = rgba[(y0 * width + x0) * 4 + c] * (1 - fx) + rgba[(y0 * width + x1) * 4 + c] * fx;
                    double bottom = rgba[(y1 * width + x0) * 4 + c] * (1 - fx) + rgba[(y1 * width + x1) * 4 + c] * fx;
                    result[(y * newWidth + x) * 4 + c] = (byte)Math.Clamp(Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
                }
            }
        }

        return result;
    }

    /// <summary>One byte per pixel (alpha, coverage) to a new size.</summary>
    public static byte[] Bytes(ReadOnlySpan<byte> plane, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight)
            return plane.ToArray();
        var result = new byte[checked(newWidth * newHeight)];
        for (int y = 0; y < newHeight; y++)
        {
            var (y0, y1, fy) = Source(y, height, newHeight);
            for (int x = 0; x < newWidth; x++)
            {
                var (x0, x1, fx) = Source(x, width, newWidth);
                double top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx;
                double bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx;
                result[y * newWidth + x] = (byte)Math.Clamp(Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
            }
        }

        return result;
    }

    /// <summary>Every plane of <paramref name="planes"/> to a new size.</summary>
    public static PlanarImage Planes(PlanarImage planes, int newWidth, int newHeight)
    {
        if (planes.Width == newWidth && planes.Height == newHeight)
            return planes;
        int width = planes.Width, height = planes.Height, count = planes.ChannelCount;
        var source = planes.Data;
        var result = new float[newWidth * newHeight * count];
        for (int c = 0; c < count; c++)
        {
            int from = c * width * height, to = c * newWidth * newHeight;
            for (int y = 0; y < newHeight; y++)
            {
                var (y0, y1, fy) = Source(y, height, newHeight);
                for (int x = 0; x < newWidth; x++)
                {
                    var (x0, x1, fx) = Source(x, width, newWidth);
                    double top = source[from + y0 * width + x0] * (1 - fx) + source[from + y0 * width + x1] * fx;
                    double bottom = source[from + y1 * width + x0] * (1 - fx) + source[from + y1 * width + x1] * fx;
                    result[to + y * newWidth + x] = (float)(top * (1 - fy) + bottom * fy);
                }
            }
        }

        return new PlanarImage(newWidth, newHeight, planes.Channels, result);
    }

    private static (int Low, int High, double Fraction) Source(int target, int sourceLength, int targetLength)
    {
        double at = Math.Clamp((target + 0.5) * sourceLength / targetLength - 0.5, 0, sourceLength - 1);
        int low = (int)Math.Floor(at);
        return (low, Math.Min(low + 1, sourceLength - 1), at - low);
    }
}
