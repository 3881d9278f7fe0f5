using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The texture half of <c>auto</c>: the fine detail (luma minus its Gaussian blur, σ <see cref="Sigma"/>) of an
/// exemplar fill, weighted toward where the surroundings are busy (<see cref="DetailWeights"/>), added onto a smooth
/// structure fill, with one gain solved (<see cref="TextureGain"/>) so that the finished hole's high-pass is as strong
/// as in a ring of known pixels around it times a strength. The structure carries the low frequencies and the colour, where a smooth
/// guess is the more accurate one; the copies carry only the grain that a smooth fill lacks, as luma (the same
/// amount on red, green and blue: colour grain that was not there costs SSIM on each channel and adds no texture
/// the eye reads). Nothing is averaged: each pixel is one structure value plus one copy's detail.
/// </summary>
internal static class DetailTransfer
{
    /// <summary>Scale of the detail taken from the copies, pixels (the scale the texture measure looks at).</summary>
    public const double Sigma = 1.5;

    // The ring of known pixels whose detail is the reference: chessboard distance to the hole, pixels.
    private const int RingInner = 4, RingOuter = 12;

    // The first guess is never more than this multiple of the copies' own (weighted) detail.
    private const double MaximumGain = 3;

    /// <summary>Structure plus scaled detail inside the hole; known pixels come from <paramref name="rgba"/> unchanged.</summary>
    public static byte[] Apply(int width, int height, byte[] rgba, byte[] hole, float[][] structure, byte[] copies, double strength, CancellationToken cancellationToken)
    {
        int n = width * height;
        var lumaCopies = new float[n];
        var lumaStructure = new float[n];
        for (int p = 0; p < n; p++)
        {
            lumaCopies[p] = Luma(copies[p * 4], copies[p * 4 + 1], copies[p * 4 + 2]);
            lumaStructure[p] = Luma(structure[0][p], structure[1][p], structure[2][p]);
        }
        float[] copiesDetail = HighPass(width, height, lumaCopies);
        float[] weight = DetailWeights.Compute(width, height, hole, copiesDetail, cancellationToken);
        var detail = new float[n];
        for (int p = 0; p < n; p++)
            detail[p] = copiesDetail[p] * weight[p];
        // a closed-form first guess from the variances, then solved on the finished pixels as the texture measure reads them
        double gain = strength <= 0 ? 0 : Gain(width, height, hole, HighPass(width, height, lumaStructure), HighPass(width, height, detail), copiesDetail, strength, cancellationToken);
        gain = TextureGain.Solve(width, height, rgba, hole, structure, detail, strength, gain, cancellationToken);
        var result = (byte[])rgba.Clone();
        for (int p = 0; p < n; p++)
        {
            if (hole[p] == 0)
                continue;
            for (int c = 0; c < 3; c++)
                result[p * 4 + c] = ToByte(structure[c][p] + gain * detail[p]);
            result[p * 4 + 3] = ToByte(structure[3][p]);
        }
        return result;
    }

    // First guess: k such that the high-pass of (structure + k·detail) inside the hole has strength × the ring's
    // deviation before rounding and clipping: var(s + k d) = a + 2 k b + k² c, solved for k ≥ 0.
    private static double Gain(int width, int height, byte[] hole, float[] s, float[] d, float[] ringDetail, double strength, CancellationToken cancellationToken)
    {
        int n = width * height;
        int[] outside = ChessboardDistance.Compute(width, height, Inverted(hole), cancellationToken);
        var ring = new Moments();
        var a = new Moments();
        var c = new Moments();
        double b = 0;
        for (int p = 0; p < n; p++)
        {
            if (hole[p] != 0)
            {
                a.Add(s[p]);
                c.Add(d[p]);
                b += (double)s[p] * d[p];
            }
            else if (outside[p] > RingInner && outside[p] <= RingOuter)
                ring.Add(ringDetail[p]);
        }
        if (ring.Count == 0 || c.Variance <= 0)
            return 1;
        double covariance = b / a.Count - a.Mean * c.Mean;
        double wanted = strength * strength * ring.Variance;
        // a + 2 k b + k² c = wanted
        double disc = covariance * covariance - c.Variance * (a.Variance - wanted);
        if (disc < 0)
            return 0;
        double k = (-covariance + Math.Sqrt(disc)) / c.Variance;
        return Math.Clamp(k, 0, MaximumGain);
    }

    private static float[] HighPass(int width, int height, float[] values)
    {
        using var source = Mat.FromPixelData(height, width, MatType.CV_32FC1, values);
        using var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(0, 0), Sigma, Sigma, BorderTypes.Replicate);
        var low = new float[values.Length];
        System.Runtime.InteropServices.Marshal.Copy(blurred.Data, low, 0, low.Length);
        var high = new float[values.Length];
        for (int p = 0; p < high.Length; p++)
            high[p] = values[p] - low[p];
        return high;
    }

    private static byte[] Inverted(byte[] hole)
    {
        var known = new byte[hole.Length];
        for (int p = 0; p < hole.Length; p++)
            known[p] = hole[p] == 0 ? (byte)1 : (byte)0;
        return known;
    }

    private static float Luma(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private struct Moments
    {
        private double _sum, _squares;

        public long Count { get; private set; }

        public readonly double Mean => Count == 0 ? 0 : _sum / Count;

        public readonly double Variance => Count == 0 ? 0 : Math.Max(0, _squares / Count - Mean * Mean);

        public void Add(double v)
        {
            _sum += v;
            _squares += v * v;
            Count++;
        }
    }
}
