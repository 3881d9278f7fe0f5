using EditorBridge.Engines;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>OpenCV's diffusion inpainting (Telea's fast marching, Navier–Stokes) on RGBA work areas.</summary>
internal static class DiffusionFill
{
    public static Task<byte[]> RunAsync(EngineImage image, EngineMask mask, string method, double radius, CancellationToken cancellationToken)
    {
        var flags = method == FillMethod.NavierStokes ? InpaintTypes.NS : InpaintTypes.Telea;
        // OpenCV cannot be interrupted mid-call: the job ends at cancel, the native call finishes alone.
        return Task.Run(() => Fill(image, mask, flags, radius), cancellationToken).WaitAsync(cancellationToken);
    }

    public static byte[] Fill(EngineImage image, EngineMask mask, InpaintTypes flags, double radius)
    {
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        using var bgr = new Mat();
        using var alpha = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        Cv2.ExtractChannel(rgba, alpha, 3);
        using var filledBgr = new Mat();
        using var filledAlpha = new Mat();
        Cv2.Inpaint(bgr, hole, filledBgr, radius, flags);
        Cv2.Inpaint(alpha, hole, filledAlpha, radius, flags);
        using var merged = new Mat();
        Cv2.CvtColor(filledBgr, merged, ColorConversionCodes.BGR2RGBA);
        Cv2.InsertChannel(filledAlpha, merged, 3);
        var result = new byte[image.Pixels.Length];
        System.Runtime.InteropServices.Marshal.Copy(merged.Data, result, 0, result.Length);
        return result;
    }
}
