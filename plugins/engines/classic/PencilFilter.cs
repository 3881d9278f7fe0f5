using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>Pencil drawing: OpenCV's pencilSketch (grey version): strokes along edges, light shading.</summary>
internal static class PencilFilter
{
    public static Mat Apply(Mat bgr)
    {
        using var gray = new Mat();
        using var colour = new Mat();
        Cv2.PencilSketch(bgr, gray, colour, 60, 0.07f, 0.05f);
        var result = new Mat();
        Cv2.CvtColor(gray, result, ColorConversionCodes.GRAY2BGR);
        return result;
    }
}
