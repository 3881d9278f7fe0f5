namespace EditorBridge.Engines.Classic;

/// <summary>
/// The 8-neighbour graph Laplacian of Levin et al.'s colorization ("Colorization using
/// optimization", 2004): neighbours of similar luminance are tied strongly, w = exp(−ΔY² / 2σ²),
/// with σ² from the local luminance variance, so colour flows along regions and stops at edges.
/// </summary>
internal sealed class AffinityLaplacian
{
    /// <summary>σ² is this fraction of the mean 3×3 luminance variance at the two pixels (tuned on the test photos).</summary>
    public const float VarianceScale = 0.2f;

    /// <summary>Floor of σ² (luminance 0..1): flat areas still tie neighbours closely.</summary>
    public const float MinimumVariance = 2e-5f;

    /// <summary>Floor of a weight: keeps every pixel connected, so the system stays solvable.</summary>
    public const float MinimumWeight = 1e-4f;

    // weights to the right, down, down-right and down-left neighbour (0 where there is none)
    private readonly float[] right, down, downRight, downLeft, degree;

    public AffinityLaplacian(int width, int height, float[] luma)
    {
        Width = width;
        Height = height;
        var variance = LocalVariance(width, height, luma);
        int n = width * height;
        right = new float[n];
        down = new float[n];
        downRight = new float[n];
        downLeft = new float[n];
        degree = new float[n];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                if (x + 1 < width)
                    Link(right, p, p + 1);
                if (y + 1 < height)
                {
                    Link(down, p, p + width);
                    if (x + 1 < width)
                        Link(downRight, p, p + width + 1);
                    if (x > 0)
                        Link(downLeft, p, p + width - 1);
                }
            }

        void Link(float[] weights, int p, int q)
        {
            float d = luma[p] - luma[q];
            float sigma2 = Math.Max(VarianceScale * 0.5f * (variance[p] + variance[q]), MinimumVariance);
            float w = Math.Max(MathF.Exp(-d * d / (2 * sigma2)), MinimumWeight);
            weights[p] = w;
            degree[p] += w;
            degree[q] += w;
        }
    }

    public int Width { get; }

    public int Height { get; }

    public float Degree(int p) => degree[p];

    /// <summary>result = L·v (for every pixel: degree × v minus the weighted sum of its neighbours).</summary>
    public void Apply(float[] v, float[] result)
    {
        int width = Width;
        Parallel.For(0, Height, y =>
        {
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                float sum = right[p] * (x + 1 < width ? v[p + 1] : 0)
                    + (x > 0 ? right[p - 1] * v[p - 1] : 0)
                    + (y + 1 < Height ? down[p] * v[p + width] + downRight[p] * (x + 1 < width ? v[p + width + 1] : 0) + downLeft[p] * (x > 0 ? v[p + width - 1] : 0) : 0)
                    + (y > 0 ? down[p - width] * v[p - width] + (x > 0 ? downRight[p - width - 1] * v[p - width - 1] : 0) + (x + 1 < width ? downLeft[p - width + 1] * v[p - width + 1] : 0) : 0);
                result[p] = degree[p] * v[p] - sum;
            }
        });
    }

    private static float[] LocalVariance(int width, int height, float[] luma)
    {
        var variance = new float[luma.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float sum = 0, squares = 0;
                int count = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                            continue;
                        float v = luma[ny * width + nx];
                        sum += v;
                        squares += v * v;
                        count++;
                    }

                float mean = sum / count;
                variance[y * width + x] = Math.Max(0, squares / count - mean * mean);
            }

        return variance;
    }
}
