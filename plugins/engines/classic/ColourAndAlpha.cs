using EditorBridge.Engines;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// OpenCV's inpainting works on 1- or 3-channel pictures: run one method on the colour (as BGR)
/// and on the alpha separately, and put the RGBA picture back together.
/// </summary>
internal static class ColourAndAlpha
{
    public static byte[] Apply(EngineImage image, Action<Mat, Mat> method)
    {
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        using var bgr = new Mat();
        using var alpha = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        Cv2.ExtractChannel(rgba, alpha, 3);
        using var doneBgr = new Mat();
        using var doneAlpha = new Mat();
        method(bgr, doneBgr);
        method(alpha, doneAlpha);
        using var merged = new Mat();
        Cv2.CvtColor(doneBgr, merged, ColorConversionCodes.BGR2RGBA);
        Cv2.InsertChannel(doneAlpha, merged, 3);
        var result = new byte[image.Pixels.Length];
        System.Runtime.InteropServices.Marshal.Copy(merged.Data, result, 0, result.Length);
        return result;
    }
}
