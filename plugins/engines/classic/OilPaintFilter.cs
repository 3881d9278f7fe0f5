using OpenCvSharp;
using OpenCvSharp.XPhoto;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Oil paint: OpenCV xphoto's oilPainting (each pixel takes the most frequent luminance of its
/// neighbourhood, giving flat dabs), then a light edge-preserving smoothing that softens the dabs'
/// blocky borders. The brush grows with the picture.
/// </summary>
internal static class OilPaintFilter
{
    public static Mat Apply(Mat bgr)
    {
        int brush = Math.Clamp((int)Math.Round(Math.Min(bgr.Cols, bgr.Rows) / 128.0) + 2, 3, 15);
        using var dabs = new Mat();
        CvXPhoto.OilPainting(bgr, dabs, brush, 1, ColorConversionCodes.BGR2GRAY);
        var result = new Mat();
        Cv2.EdgePreservingFilter(dabs, result, EdgePreservingMethods.RecursFilter, 20, 0.2f);
        return result;
    }
}
