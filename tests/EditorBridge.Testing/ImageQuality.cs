namespace EditorBridge.Testing;

/// <summary>
/// Picture quality metrics. PSNR over RGB (peak 255); SSIM on BT.601 luma with Wang et al.'s
/// 11×11 Gaussian window (σ 1.5, K1 0.01, K2 0.03), averaged over the masked pixels.
/// </summary>
public static class ImageQuality
{
    /// <summary>PSNR in dB over the RGB channels of pixels where <paramref name="mask"/> is non-zero (all when null); +∞ when identical.</summary>
    public static double Psnr(byte[] a, byte[] b, byte[]? mask = null, int channels = 4)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"pictures differ in size: {a.Length} vs {b.Length} bytes");
        double sum = 0;
        long count = 0;
        int pixels = a.Length / channels;
        for (int p = 0; p < pixels; p++)
        {
            if (mask is not null && mask[p] == 0)
                continue;
            for (int c = 0; c < Math.Min(3, channels); c++)
            {
                double d = a[p * channels + c] - b[p * channels + c];
                sum += d * d;
                count++;
            }
        }

        if (count == 0)
            throw new ArgumentException("the mask selects no pixel");
        double mse = sum / count;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Mean SSIM (luma) over the pixels where <paramref name="mask"/> is non-zero (all when null).</summary>
    public static double Ssim(int width, int height, byte[] a, byte[] b, byte[]? mask = null)
    {
        var x = Luma(a, width * height);
        var y = Luma(b, width * height);
        var muX = Gaussian(x, width, height);
        var muY = Gaussian(y, width, height);
        var xx = Gaussian(Product(x, x), width, height);
        var yy = Gaussian(Product(y, y), width, height);
        var xy = Gaussian(Product(x, y), width, height);
        const double C1 = 0.01 * 255 * 0.01 * 255, C2 = 0.03 * 255 * 0.03 * 255;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (mask is not null && mask[i] == 0)
                continue;
            double mx = muX[i], my = muY[i];
            double vx = xx[i] - mx * mx, vy = yy[i] - my * my, cxy = xy[i] - mx * my;
            sum += (2 * mx * my + C1) * (2 * cxy + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            count++;
        }

        if (count == 0)
            throw new ArgumentException("the mask selects no pixel");
        return sum / count;
    }

    private static double[] Luma(byte[] rgba, int pixels)
    {
        var luma = new double[pixels];
        for (int p = 0; p < pixels; p++)
            luma[p] = 0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2];
        return luma;
    }

    private static double[] Product(double[] a, double[] b)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
            r[i] = a[i] * b[i];
        return r;
    }

    private static readonly double[] Kernel = MakeKernel(5, 1.5);

    private static double[] MakeKernel(int radius, double sigma)
    {
        var k = Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-i * i / (2 * sigma * sigma))).ToArray();
        var total = k.Sum();
        return k.Select(v => v / total).ToArray();
    }

    // Separable blur; borders replicate the edge pixel.
    private static double[] Gaussian(double[] v, int width, int height)
    {
        int r = Kernel.Length / 2;
        var tmp = new double[v.Length];
        var res = new double[v.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double s = 0;
                for (int k = -r; k <= r; k++)
                    s += Kernel[k + r] * v[y * width + Math.Clamp(x + k, 0, width - 1)];
                tmp[y * width + x] = s;
            }

        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double s = 0;
                for (int k = -r; k <= r; k++)
                    s += Kernel[k + r] * tmp[Math.Clamp(y + k, 0, height - 1) * width + x];
                res[y * width + x] = s;
            }

        return res;
    }
}
