using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Watercolour: OpenCV's stylization (Gastal and Oliveira's domain-transform edge-preserving
/// smoothing with boosted edges): flat washes of colour with soft, darkened borders.
/// </summary>
internal static class WatercolourFilter
{
    public static Mat Apply(Mat bgr)
    {
        var result = new Mat();
        Cv2.Stylization(bgr, result, 60, 0.45f);
        return result;
    }
}
