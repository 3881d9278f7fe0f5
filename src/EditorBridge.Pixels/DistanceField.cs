namespace EditorBridge.Imaging;

/// <summary>
/// Approximate Euclidean distance to the nearest target pixel (two-pass chamfer with
/// weights 1 and √2; within 8 % of the true distance, enough for growing and feathering).
/// </summary>
internal static class DistanceField
{
    private const float Diagonal = 1.41421356f;

    public static float[] ToNearest(int width, int height, Func<int, bool> isTarget)
    {
        var d = new float[width * height];
        for (int i = 0; i < d.Length; i++)
            d[i] = isTarget(i) ? 0f : float.PositiveInfinity;
        ForwardPass(d, width, height);
        BackwardPass(d, width, height);
        return d;
    }

    private static void ForwardPass(float[] d, int width, int height)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                float v = d[i];
                if (x > 0) v = Math.Min(v, d[i - 1] + 1);
                if (y > 0)
                {
                    v = Math.Min(v, d[i - width] + 1);
                    if (x > 0) v = Math.Min(v, d[i - width - 1] + Diagonal);
                    if (x < width - 1) v = Math.Min(v, d[i - width + 1] + Diagonal);
                }

                d[i] = v;
            }
        }
    }

    private static void BackwardPass(float[] d, int width, int height)
    {
        for (int y = height - 1; y >= 0; y--)
        {
            for (int x = width - 1; x >= 0; x--)
            {
                int i = y * width + x;
                float v = d[i];
                if (x < width - 1) v = Math.Min(v, d[i + 1] + 1);
                if (y < height - 1)
                {
                    v = Math.Min(v, d[i + width] + 1);
                    if (x < width - 1) v = Math.Min(v, d[i + width + 1] + Diagonal);
                    if (x > 0) v = Math.Min(v, d[i + width - 1] + Diagonal);
                }

                d[i] = v;
            }
        }
    }
}
