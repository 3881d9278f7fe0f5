namespace EditorBridge.Imaging;

/// <summary>
/// Whether a filled hole keeps the texture of its surroundings: the standard deviation of the
/// luma's high-pass (luma minus its Gaussian blur, σ <see cref="Sigma"/>) inside the hole,
/// divided by the same inside a ring around it. 1 means as much fine detail as around the hole;
/// a smooth (blurred) fill gives well under 1, pasted noise above it. The ring starts
/// <see cref="RingGap"/> pixels out, past the band that a grown, feathered selection blends, and
/// is <see cref="RingWidth"/> pixels wide. Pixels are RGBA8; luma is BT.601.
/// </summary>
public static class TextureContrast
{
    public const double Sigma = 1.5;
    public const float RingGap = 4, RingWidth = 8;

    /// <summary>High-pass deviation inside the hole over that in the ring (see the class summary).</summary>
    /// <param name="hole">width*height bytes; nonzero marks the filled pixels.</param>
    /// <exception cref="ArgumentException">Sizes disagree, the hole is empty, or no ring pixel is left around it.</exception>
    public static double Ratio(int width, int height, byte[] rgba, byte[] hole)
    {
        var (inside, ring) = Deviations(width, height, rgba, hole);
        return ring == 0 ? (inside == 0 ? 1 : double.PositiveInfinity) : inside / ring;
    }

    /// <summary>High-pass standard deviations inside the hole and in the ring around it.</summary>
    public static (double Inside, double Ring) Deviations(int width, int height, byte[] rgba, byte[] hole)
    {
        ArgumentNullException.ThrowIfNull(rgba);
        ArgumentNullException.ThrowIfNull(hole);
        if (rgba.LongLength != (long)width * height * 4 || hole.LongLength != (long)width * height)
            throw new ArgumentException($"expected {width * height * 4} RGBA bytes and {width * height} hole bytes for {width}x{height}, got {rgba.Length} and {hole.Length}");
        var highPass = HighPass(width, height, rgba);
        var distance = DistanceField.ToNearest(width, height, i => hole[i] != 0);
        var inside = new Deviation();
        var ring = new Deviation();
        for (int i = 0; i < hole.Length; i++)
        {
            if (hole[i] != 0)
                inside.Add(highPass[i]);
            else if (distance[i] > RingGap && distance[i] <= RingGap + RingWidth)
                ring.Add(highPass[i]);
        }

        if (inside.Count == 0)
            throw new ArgumentException("the hole is empty", nameof(hole));
        if (ring.Count == 0)
            throw new ArgumentException("no pixel of the ring around the hole lies on the picture", nameof(hole));
        return (inside.Value, ring.Value);
    }

    private static double[] HighPass(int width, int height, byte[] rgba)
    {
        var luma = new double[width * height];
        for (int p = 0; p < luma.Length; p++)
            luma[p] = 0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2];
        var blurred = Blur(luma, width, height);
        for (int p = 0; p < luma.Length; p++)
            luma[p] -= blurred[p];
        return luma;
    }

    private static readonly double[] Kernel = MakeKernel();

    private static double[] MakeKernel()
    {
        int radius = (int)Math.Ceiling(3 * Sigma);
        var k = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++)
            k[i + radius] = Math.Exp(-0.5 * i * i / (Sigma * Sigma));
        double total = k.Sum();
        return k.Select(v => v / total).ToArray();
    }

    // Separable Gaussian, borders clamped to the edge pixel.
    private static double[] Blur(double[] v, int width, int height)
    {
        int r = Kernel.Length / 2;
        var tmp = new double[v.Length];
        var result = new double[v.Length];
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
                result[y * width + x] = s;
            }

        return result;
    }

    private struct Deviation
    {
        private double _sum, _squares;

        public long Count { get; private set; }

        public void Add(double v)
        {
            _sum += v;
            _squares += v * v;
            Count++;
        }

        public readonly double Value => Count == 0 ? 0 : Math.Sqrt(Math.Max(0, _squares / Count - _sum / Count * (_sum / Count)));
    }
}
