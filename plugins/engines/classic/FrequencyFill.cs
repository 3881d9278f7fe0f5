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
    /// <summary>
    /// FSR's time grows steeply with the hole (a 324² hole took 30 s, 130× Telea, in the bench)
    /// and its native call cannot be cancelled, so larger holes are refused with a pointer.
    /// </summary>
    public const int MaxHolePixels = 128 * 128;

    public static Task<byte[]> RunAsync(EngineImage image, EngineMask mask, CancellationToken cancellationToken)
    {
        int hole = mask.Coverage.Count(c => c != 0);
        if (hole > MaxHolePixels)
            throw new EngineInputException("method", $"fsr is for holes up to {MaxHolePixels} pixels; this one has {hole}: use exemplar or telea");
        // one uninterruptible native call: the job ends at cancel, the call finishes alone
        return Task.Run(() => Fill(image, mask), cancellationToken).WaitAsync(cancellationToken);
    }

    public static byte[] Fill(EngineImage image, EngineMask mask)
    {
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        // xphoto's mask is the other way round from cv::inpaint's: non-zero marks the known pixels
        using var known = new Mat();
        Cv2.Threshold(hole, known, 0, 255, ThresholdTypes.BinaryInv);
        var filled = ColourAndAlpha.Apply(image, (source, done) => CvXPhoto.Inpaint(source, known, done, OpenCvSharp.XPhoto.InpaintTypes.FSR_FAST));
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
