using EditorBridge.Engines;
using OpenCvSharp;
using OpenCvSharp.XPhoto;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// OpenCV's frequency selective reconstruction (xphoto FSR_FAST): models the hole's
/// neighbourhood in the frequency domain; between diffusion and exemplar on texture.
/// </summary>
internal static class FrequencyFill
{
    public static Task<byte[]> RunAsync(EngineImage image, EngineMask mask, CancellationToken cancellationToken) =>
        // one uninterruptible native call: the job ends at cancel, the call finishes alone
        Task.Run(() => Fill(image, mask), cancellationToken).WaitAsync(cancellationToken);

    public static byte[] Fill(EngineImage image, EngineMask mask)
    {
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        // xphoto's mask is the other way round from cv::inpaint's: non-zero marks the known pixels
        using var known = new Mat();
        Cv2.Threshold(hole, known, 0, 255, ThresholdTypes.BinaryInv);
        using var bgr = new Mat();
        using var alpha = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        Cv2.ExtractChannel(rgba, alpha, 3);
        using var filledBgr = new Mat();
        using var filledAlpha = new Mat();
        CvXPhoto.Inpaint(bgr, known, filledBgr, OpenCvSharp.XPhoto.InpaintTypes.FSR_FAST);
        CvXPhoto.Inpaint(alpha, known, filledAlpha, OpenCvSharp.XPhoto.InpaintTypes.FSR_FAST);
        using var merged = new Mat();
        Cv2.CvtColor(filledBgr, merged, ColorConversionCodes.BGR2RGBA);
        Cv2.InsertChannel(filledAlpha, merged, 3);
        var filled = new byte[image.Pixels.Length];
        System.Runtime.InteropServices.Marshal.Copy(merged.Data, filled, 0, filled.Length);
        // FSR also smooths known pixels a little: keep them exactly as they were
        var result = (byte[])image.Pixels.Clone();
        for (int p = 0; p < mask.Coverage.Length; p++)
        {
            if (mask.Coverage[p] != 0)
                Buffer.BlockCopy(filled, p * 4, result, p * 4, 4);
        }

        return result;
    }
}
