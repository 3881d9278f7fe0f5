namespace EditorBridge.Testing;

/// <summary>
/// Measures an outpainted area against what the picture really holds there: per-row mean colours
/// (does the fill continue the border's colours row by row?) and transparency.
/// </summary>
public static class OutpaintCheck
{
    /// <summary>Mean over rows and channels of |row mean of <paramref name="a"/> − row mean of <paramref name="b"/>| over <paramref name="columns"/> columns from ax / bx.</summary>
    public static double RowMeanError(RgbaPicture a, int ax, RgbaPicture b, int bx, int columns)
    {
        if (a.Height != b.Height)
            throw new ArgumentException($"heights differ: {a.Height} and {b.Height}");
        double total = 0;
        for (int y = 0; y < a.Height; y++)
        {
            for (int c = 0; c < 3; c++)
                total += Math.Abs(RowMean(a, ax, y, columns, c) - RowMean(b, bx, y, columns, c));
        }

        return total / (a.Height * 3);
    }

    /// <summary>The same error for a flat fill with the mean colour of <paramref name="layer"/> (the guard a plausible fill must beat).</summary>
    public static double FlatFillError(RgbaPicture layer, RgbaPicture truth, int tx, int columns)
    {
        var mean = new double[3];
        for (int p = 0; p < layer.Width * layer.Height; p++)
        {
            for (int c = 0; c < 3; c++)
                mean[c] += layer.Rgba[p * 4 + c];
        }

        double total = 0;
        for (int y = 0; y < truth.Height; y++)
        {
            for (int c = 0; c < 3; c++)
                total += Math.Abs(mean[c] / (layer.Width * layer.Height) - RowMean(truth, tx, y, columns, c));
        }

        return total / (truth.Height * 3);
    }

    /// <summary>Pixels with alpha below 255 in the block.</summary>
    public static int NotOpaque(RgbaPicture picture, int x, int y, int width, int height)
    {
        int count = 0;
        for (int row = y; row < y + height; row++)
        {
            for (int col = x; col < x + width; col++)
            {
                if (picture.Rgba[(row * picture.Width + col) * 4 + 3] != 255)
                    count++;
            }
        }

        return count;
    }

    private static double RowMean(RgbaPicture p, int x, int y, int columns, int channel)
    {
        double sum = 0;
        for (int col = x; col < x + columns; col++)
            sum += p.Rgba[(y * p.Width + col) * 4 + channel];
        return sum / columns;
    }
}
