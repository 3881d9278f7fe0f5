using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The gain on the copied detail that gives the filled hole the wanted share of its ring's texture, as the texture
/// measure reads it on the result (docs/classic-engine.md): the standard deviation of the luma high-pass (σ
/// <see cref="DetailTransfer.Sigma"/>) of the finished pixels, rounded and clipped to 0..255, inside the hole over
/// that in a ring 4–12 px around it. A closed-form gain from the detail's own variance misses it where the detail is
/// concentrated (weights) or clipped (bright stars on black, white paper): on pictures with large smooth parts the
/// hole came out with 0.66–0.73 of the ring's texture where 1.05 was asked. Here the ratio is measured on the hole's
/// bounding box and the gain solved for it by the secant method, the detail still going where
/// <see cref="DetailWeights"/> puts it.
/// </summary>
internal static class TextureGain
{
    /// <summary>The ring the hole's texture is compared to: Euclidean distance to the hole, pixels (exclusive, inclusive).</summary>
    public const float RingInner = 4, RingOuter = 12;

    // Never more than this multiple of the copies' (weighted) detail: a near-flat fill next to a busy ring.
    // Tuning pictures, strength 0.85: cap 3 SSIM 0.546 / texture 0.79, 4: 0.545 / 0.81, 8: 0.543 / 0.83.
    private const double MaximumGain = 4;

    // Solving stops within this much of the wanted ratio, or after this many measurements.
    private const double Tolerance = 0.01;
    private const int Measurements = 8;

    /// <summary>
    /// The gain k ≥ 0 for which structure + k·detail reads <paramref name="wanted"/> × the ring's texture; <paramref name="first"/>
    /// is a first guess (the closed-form gain).
    /// </summary>
    public static double Solve(int width, int height, byte[] rgba, byte[] hole, float[][] structure, float[] detail, double wanted, double first, CancellationToken cancellationToken)
    {
        if (wanted <= 0)
            return 0;
        var box = new HoleBox(width, height, hole, (int)RingOuter + HighPassRadius + 1);
        if (box.Width == 0)
            return first;
        using var ring = RingMask(box, hole);
        if (Cv2.CountNonZero(ring) == 0)
            return first;
        double Ratio(double k) => Measure(box, rgba, hole, structure, detail, k, ring, cancellationToken);

        // secant on ratio(k) − wanted from 0 and the first guess, kept inside [0, MaximumGain]
        double k0 = 0, r0 = Ratio(0);
        if (r0 >= wanted)
            return 0;
        double k1 = Math.Clamp(first > 0 ? first : 1, 1e-3, MaximumGain), r1 = Ratio(k1);
        for (int i = 2; i < Measurements && Math.Abs(r1 - wanted) > Tolerance; i++)
        {
            if (r1 < wanted && k1 >= MaximumGain)
                return MaximumGain;
            double slope = (r1 - r0) / (k1 - k0);
            double next = slope > 1e-9 ? k1 + (wanted - r1) / slope : k1 * 2;
            (k0, r0) = (k1, r1);
            k1 = Math.Clamp(next, 0, MaximumGain);
            r1 = Ratio(k1);
        }
        return k1;
    }

    // σ 1.5 Gaussian as OpenCV sizes it for floats (13 taps).
    private const int HighPassRadius = 6;

    private static double Measure(HoleBox box, byte[] rgba, byte[] hole, float[][] structure, float[] detail, double k, Mat ring, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var luma = new float[box.Width * box.Height];
        var inside = new byte[luma.Length];
        for (int y = 0; y < box.Height; y++)
            for (int x = 0; x < box.Width; x++)
            {
                int p = box.Index(x, y), q = y * box.Width + x;
                if (hole[p] == 0)
                {
                    luma[q] = Luma(rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]);
                    continue;
                }
                double d = k * detail[p];
                luma[q] = Luma(ToByte(structure[0][p] + d), ToByte(structure[1][p] + d), ToByte(structure[2][p] + d));
                inside[q] = 255;
            }
        using var source = Mat.FromPixelData(box.Height, box.Width, MatType.CV_32FC1, luma);
        using var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(0, 0), DetailTransfer.Sigma, DetailTransfer.Sigma, BorderTypes.Replicate);
        using var high = new Mat();
        Cv2.Subtract(source, blurred, high);
        using var holeMask = Mat.FromPixelData(box.Height, box.Width, MatType.CV_8UC1, inside);
        Cv2.MeanStdDev(high, out _, out var insideDeviation, holeMask);
        Cv2.MeanStdDev(high, out _, out var ringDeviation, ring);
        return ringDeviation.Val0 <= 1e-9 ? double.PositiveInfinity : insideDeviation.Val0 / ringDeviation.Val0;
    }

    // Known pixels of the box more than RingInner and at most RingOuter from the nearest hole pixel (255), else 0.
    private static Mat RingMask(HoleBox box, byte[] hole)
    {
        var known = new byte[box.Width * box.Height];
        for (int y = 0; y < box.Height; y++)
            for (int x = 0; x < box.Width; x++)
                known[y * box.Width + x] = hole[box.Index(x, y)] == 0 ? (byte)255 : (byte)0;
        using var knownMat = Mat.FromPixelData(box.Height, box.Width, MatType.CV_8UC1, known);
        using var distance = new Mat();
        Cv2.DistanceTransform(knownMat, distance, DistanceTypes.L2, DistanceTransformMasks.Precise);
        var ring = new Mat();
        Cv2.InRange(distance, new Scalar(RingInner + 1e-4), new Scalar(RingOuter), ring);
        return ring;
    }

    private static float Luma(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
