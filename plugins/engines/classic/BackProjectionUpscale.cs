using OpenCvSharp;
using OpenCvSharp.XImgProc;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Upscaling by an integer factor: Lanczos first, then edge-aware iterative back-projection
/// (Irani and Peleg): the estimate is shrunk back (area averaging, as a sensor integrates), the
/// difference to the input is enlarged and, before it is added, smoothed by a guided filter steered
/// by the estimate itself, so corrections follow edges instead of ringing across them.
/// </summary>
internal static class BackProjectionUpscale
{
    public const int Iterations = 8;
    public const double GuidedEpsilon = 100;

    /// <param name="bgr">Float BGR, 0..255.</param>
    public static Mat Upscale(Mat bgr, int scale, CancellationToken cancellationToken)
    {
        var size = new Size(bgr.Cols * scale, bgr.Rows * scale);
        var estimate = new Mat();
        Cv2.Resize(bgr, estimate, size, 0, 0, InterpolationFlags.Lanczos4);
        int radius = scale / 2 + 1;
        using var shrunk = new Mat();
        using var error = new Mat();
        using var enlarged = new Mat();
        using var guide = new Mat();
        using var smoothed = new Mat();
        for (int i = 0; i < Iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Cv2.Resize(estimate, shrunk, bgr.Size(), 0, 0, InterpolationFlags.Area);
            Cv2.Subtract(bgr, shrunk, error);
            Cv2.Resize(error, enlarged, size, 0, 0, InterpolationFlags.Cubic);
            Cv2.Min(estimate, Scalar.All(255), guide);
            Cv2.Max(guide, Scalar.All(0), guide);
            CvXImgProc.GuidedFilter(guide, enlarged, smoothed, radius, GuidedEpsilon);
            Cv2.Add(estimate, smoothed, estimate);
        }

        Cv2.Min(estimate, Scalar.All(255), estimate);
        Cv2.Max(estimate, Scalar.All(0), estimate);
        return estimate;
    }

    /// <summary>An 8-bit single channel (alpha) enlarged with Lanczos, clamped.</summary>
    public static Mat UpscaleAlpha(Mat alpha, int scale)
    {
        var result = new Mat();
        Cv2.Resize(alpha, result, new Size(alpha.Cols * scale, alpha.Rows * scale), 0, 0, InterpolationFlags.Lanczos4);
        return result;
    }
}
