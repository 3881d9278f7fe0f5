using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The Gaussian blur radius (σ, pixels) of a picture, from its edges: blurring a step edge of
/// blur σ again by a known σr lowers its gradient peak by √(σ² + σr²) / σ, so σ follows from the
/// ratio of the two gradients (Zhuo and Sim, "Defocus map estimation from a single image", 2011).
/// The median over the strong edges is robust to texture. Even a sharp photo's edges span about
/// <see cref="Intrinsic"/> (optics and sampling); that part is taken out, as blurs add in quadrature.
/// </summary>
internal static class BlurEstimate
{
    private const double Reblur = 1.0;

    /// <summary>The edge width of sharp photos (σ, pixels), not counted as blur.</summary>
    public const double Intrinsic = 0.7;

    /// <returns>σ in pixels, or 0 when the picture has no edges to measure.</returns>
    public static double Sigma(Mat bgr)
    {
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        using var edges = new Mat();
        Cv2.Canny(gray, edges, 30, 90);
        using var values = new Mat();
        gray.ConvertTo(values, MatType.CV_32FC1);
        using var reblurred = new Mat();
        Cv2.GaussianBlur(values, reblurred, new Size(0, 0), Reblur, borderType: BorderTypes.Reflect101);
        using var sharpMagnitude = GradientMagnitude(values);
        using var softMagnitude = GradientMagnitude(reblurred);
        var sharp = RgbaMat.Floats(sharpMagnitude);
        var soft = RgbaMat.Floats(softMagnitude);
        var edge = RgbaMat.Bytes(edges);

        var atEdges = new List<float>();
        for (int i = 0; i < edge.Length; i++)
        {
            if (edge[i] != 0)
                atEdges.Add(sharp[i]);
        }

        if (atEdges.Count < 16)
            return 0;
        atEdges.Sort();
        float strong = atEdges[atEdges.Count / 2];
        var sigmas = new List<double>();
        for (int i = 0; i < edge.Length; i++)
        {
            if (edge[i] == 0 || sharp[i] < strong || soft[i] <= 0)
                continue;
            double ratio = sharp[i] / soft[i];
            if (ratio > 1.01)
                sigmas.Add(Reblur / Math.Sqrt(ratio * ratio - 1));
        }

        if (sigmas.Count < 8)
            return 0;
        sigmas.Sort();
        double measured = Math.Min(sigmas[sigmas.Count / 2], 20);
        return Math.Sqrt(Math.Max(0, measured * measured - Intrinsic * Intrinsic));
    }

    private static Mat GradientMagnitude(Mat values)
    {
        using var dx = new Mat();
        using var dy = new Mat();
        Cv2.Sobel(values, dx, MatType.CV_32F, 1, 0, 3, borderType: BorderTypes.Reflect101);
        Cv2.Sobel(values, dy, MatType.CV_32F, 0, 1, 3, borderType: BorderTypes.Reflect101);
        var magnitude = new Mat();
        Cv2.Magnitude(dx, dy, magnitude);
        return magnitude;
    }
}
