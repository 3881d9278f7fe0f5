using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// "Like this reference": the reference's colour statistics (<see cref="ColourStatisticsTransfer"/>),
/// then its amount of fine detail. An edge-preserving smoothing of the picture is the detail-free
/// base; the picture's detail is added back in the proportion of the reference's detail to the
/// picture's (gradient energy), so a painterly, smooth reference gives a smooth result and a
/// detailed one keeps the detail.
/// </summary>
internal static class ReferenceStyle
{
    public static Mat Apply(Mat bgr, Mat reference, Mat? weights, Mat? referenceWeights)
    {
        using var lab = ColourStatisticsTransfer.TransferLab(bgr, reference, weights, referenceWeights);
        using var transferred = ColourStatisticsTransfer.Bgr(lab);
        using var smooth = new Mat();
        Cv2.EdgePreservingFilter(transferred, smooth, EdgePreservingMethods.RecursFilter, 40, 0.3f);
        double keep = Math.Clamp(Math.Sqrt(DetailEnergy(reference) / Math.Max(DetailEnergy(transferred), 1e-6)), 0, 1);
        var result = new Mat();
        Cv2.AddWeighted(smooth, 1 - keep, transferred, keep, 0, result);
        return result;
    }

    // Mean squared difference between the luminance and its 2-pixel Gaussian blur: the fine detail.
    private static double DetailEnergy(Mat bgr)
    {
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        using var values = new Mat();
        gray.ConvertTo(values, MatType.CV_32F);
        using var blurred = new Mat();
        Cv2.GaussianBlur(values, blurred, new Size(0, 0), 2);
        using var detail = new Mat();
        Cv2.Subtract(values, blurred, detail);
        Cv2.Multiply(detail, detail, detail);
        return Cv2.Mean(detail).Val0;
    }
}
