using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Richardson–Lucy deconvolution for a Gaussian blur of known σ: the estimate is multiplied, each
/// iteration, by the blurred ratio of the observed picture to the re-blurred estimate (the Gaussian
/// is symmetric, so correlation and convolution agree). The picture is mirrored out by 3σ first so
/// the border does not ring.
/// </summary>
internal static class RichardsonLucy
{
    /// <param name="bgr">Float BGR, 0..255.</param>
    /// <returns>Float BGR, 0..255, the same size.</returns>
    public static Mat Deconvolve(Mat bgr, double sigma, int iterations, Action<int>? progress, CancellationToken cancellationToken)
    {
        int pad = (int)Math.Ceiling(3 * sigma) + 2;
        using var observed = new Mat();
        Cv2.CopyMakeBorder(bgr, observed, pad, pad, pad, pad, BorderTypes.Reflect101);
        // an offset keeps the ratios finite in black areas
        Cv2.Add(observed, Scalar.All(1), observed);
        var estimate = observed.Clone();
        using var blurred = new Mat();
        using var ratio = new Mat();
        using var correction = new Mat();
        for (int i = 0; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Cv2.GaussianBlur(estimate, blurred, new Size(0, 0), sigma, sigma, BorderTypes.Reflect101);
            Cv2.Max(blurred, Scalar.All(1e-3), blurred);
            Cv2.Divide(observed, blurred, ratio);
            Cv2.GaussianBlur(ratio, correction, new Size(0, 0), sigma, sigma, BorderTypes.Reflect101);
            Cv2.Multiply(estimate, correction, estimate);
            progress?.Invoke(i + 1);
        }

        Cv2.Subtract(estimate, Scalar.All(1), estimate);
        Cv2.Min(estimate, Scalar.All(255), estimate);
        Cv2.Max(estimate, Scalar.All(0), estimate);
        using (estimate)
            return new Mat(estimate, new Rect(pad, pad, bgr.Cols, bgr.Rows)).Clone();
    }
}
