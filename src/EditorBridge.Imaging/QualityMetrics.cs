namespace EditorBridge.Imaging;

/// <summary>
/// Picture quality against a reference, the way scikit-image measures it: PSNR over the RGB
/// values (peak 255); SSIM (Wang et al. 2004) per RGB channel with an 11×11 Gaussian window
/// (σ 1.5, truncated at 3.5σ), K1 0.01, K2 0.03, population covariances, mirrored borders,
/// averaged over the channels — <c>structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False, data_range=255, channel_axis=2)</c>. The whole-picture SSIM is the
/// mean over the pixels at least 5 from the border, as scikit-image's; with a mask, the mean of the
/// SSIM map over the masked pixels. Pixels are RGBA8; alpha is not compared.
/// </summary>
public static class QualityMetrics
{
    public const double K1 = 0.01, K2 = 0.03, Sigma = 1.5;
    public const int Radius = 5;

    /// <summary>PSNR in dB over the RGB values where <paramref name="mask"/> is non-zero (all when null); +∞ when equal.</summary>
    public static double Psnr(byte[] a, byte[] b, byte[]? mask = null)
    {
        Check(a, b);
        double sum = 0;
        long count = 0;
        for (int p = 0; p < a.Length / 4; p++)
        {
            if (mask is not null && mask[p] == 0)
                continue;
            for (int c = 0; c < 3; c++)
            {
                double d = a[p * 4 + c] - b[p * 4 + c];
                sum += d * d;
            }

            count += 3;
        }

        if (count == 0)
            throw new ArgumentException("the mask selects no pixel", nameof(mask));
        return sum == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * count / sum);
    }

    /// <summary>Mean SSIM (see the class summary) of two RGBA8 pictures of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static double Ssim(int width, int height, byte[] a, byte[] b, byte[]? mask = null)
    {
        Check(a, b);
        if (a.Length != width * height * 4)
            throw new ArgumentException($"{a.Length} bytes for {width}x{height} RGBA8");
        if (mask is not null && mask.Length != width * height)
            throw new ArgumentException($"a {mask.Length}-byte mask for {width}x{height} pixels", nameof(mask));
        if (mask is null && (width <= 2 * Radius || height <= 2 * Radius))
            throw new ArgumentException($"a {width}x{height} picture is too small for an 11x11 window; SSIM needs at least 11x11");
        var map = new double[width * height];
        for (int c = 0; c < 3; c++)
            AddChannelMap(width, height, a, b, c, map);
        double sum = 0;
        long count = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool counted = mask is null
                    ? x >= Radius && y >= Radius && x < width - Radius && y < height - Radius
                    : mask[y * width + x] != 0;
                if (!counted)
                    continue;
                sum += map[y * width + x];
                count++;
            }

        if (count == 0)
            throw new ArgumentException("the mask selects no pixel", nameof(mask));
        return sum / count / 3;
    }

    private static void AddChannelMap(int width, int height, byte[] a, byte[] b, int channel, double[] map)
    {
        int n = width * height;
        var x = new double[n];
        var y = new double[n];
        for (int p = 0; p < n; p++)
        {
            x[p] = a[p * 4 + channel];
            y[p] = b[p * 4 + channel];
        }

        var xx = new double[n];
        var yy = new double[n];
        var xy = new double[n];
        for (int p = 0; p < n; p++)
        {
            xx[p] = x[p] * x[p];
            yy[p] = y[p] * y[p];
            xy[p] = x[p] * y[p];
        }

        var mx = Blur(x, width, height);
        var my = Blur(y, width, height);
        var sxx = Blur(xx, width, height);
        var syy = Blur(yy, width, height);
        var sxy = Blur(xy, width, height);
        const double C1 = K1 * 255 * K1 * 255, C2 = K2 * 255 * K2 * 255;
        for (int p = 0; p < n; p++)
        {
            double vx = sxx[p] - mx[p] * mx[p], vy = syy[p] - my[p] * my[p], cov = sxy[p] - mx[p] * my[p];
            map[p] += (2 * mx[p] * my[p] + C1) * (2 * cov + C2) / ((mx[p] * mx[p] + my[p] * my[p] + C1) * (vx + vy + C2));
        }
    }

    private static readonly double[] Kernel = MakeKernel();

    private static double[] MakeKernel()
    {
        var k = new double[2 * Radius + 1];
        for (int i = -Radius; i <= Radius; i++)
            k[i + Radius] = Math.Exp(-0.5 * i * i / (Sigma * Sigma));
        double total = k.Sum();
        return k.Select(v => v / total).ToArray();
    }

    // Separable Gaussian; borders mirror the edge pixel too (d c b a | a b c d), as scipy's 'reflect'.
    private static double[] Blur(double[] v, int width, int height)
    {
        var tmp = new double[v.Length];
        var result = new double[v.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double s = 0;
                for (int k = -Radius; k <= Radius; k++)
                    s += Kernel[k + Radius] * v[y * width + Mirror(x + k, width)];
                tmp[y * width + x] = s;
            }

        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double s = 0;
                for (int k = -Radius; k <= Radius; k++)
                    s += Kernel[k + Radius] * tmp[Mirror(y + k, height) * width + x];
                result[y * width + x] = s;
            }

        return result;
    }

    private static int Mirror(int i, int n)
    {
        int period = 2 * n;
        i %= period;
        if (i < 0)
            i += period;
        return i < n ? i : period - 1 - i;
    }

    private static void Check(byte[] a, byte[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
            throw new ArgumentException($"the pictures differ in size: {a.Length} and {b.Length} bytes");
        if (a.Length % 4 != 0)
            throw new ArgumentException("RGBA8 pictures have a multiple of 4 bytes");
    }
}
