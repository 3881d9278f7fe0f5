using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Reinhard et al.'s colour transfer ("Color transfer between images", 2001): each Lab channel of
/// the picture is shifted and scaled to the mean and standard deviation of the reference's.
/// </summary>
internal static class ColourStatisticsTransfer
{
    /// <param name="bgr">8-bit BGR picture.</param>
    /// <param name="reference">8-bit BGR reference, any size.</param>
    /// <param name="weights">Optional 8-bit mask of the picture's pixels to measure (e.g. opaque ones).</param>
    /// <returns>Float Lab (L 0..100) of the picture with the reference's statistics.</returns>
    public static Mat TransferLab(Mat bgr, Mat reference, Mat? weights = null, Mat? referenceWeights = null)
    {
        using var lab = Lab(bgr);
        using var referenceLab = Lab(reference);
        var (mean, std) = Statistics(lab, weights);
        var (referenceMean, referenceStd) = Statistics(referenceLab, referenceWeights);
        var channels = Cv2.Split(lab);
        try
        {
            for (int c = 0; c < 3; c++)
            {
                double gain = std[c] > 1e-3 ? Math.Min(referenceStd[c] / std[c], 4) : 1;
                channels[c].ConvertTo(channels[c], MatType.CV_32F, gain, referenceMean[c] - mean[c] * gain);
            }

            var result = new Mat();
            Cv2.Merge(channels, result);
            return result;
        }
        finally
        {
            foreach (var channel in channels)
                channel.Dispose();
        }
    }

    /// <summary>Per-channel mean and standard deviation, over the pixels where <paramref name="weights"/> is non-zero when given.</summary>
    public static (Scalar Mean, Scalar Std) Statistics(Mat values, Mat? weights)
    {
        Scalar mean, std;
        if (weights is null)
            Cv2.MeanStdDev(values, out mean, out std);
        else
            Cv2.MeanStdDev(values, out mean, out std, weights);
        return (mean, std);
    }

    /// <summary>Float Lab (L 0..100, a/b about ±127) of 8-bit BGR.</summary>
    public static Mat Lab(Mat bgr)
    {
        using var scaled = new Mat();
        bgr.ConvertTo(scaled, MatType.CV_32FC3, 1 / 255.0);
        var lab = new Mat();
        Cv2.CvtColor(scaled, lab, ColorConversionCodes.BGR2Lab);
        return lab;
    }

    /// <summary>8-bit BGR of float Lab, clamped.</summary>
    public static Mat Bgr(Mat lab)
    {
        using var bgr = new Mat();
        Cv2.CvtColor(lab, bgr, ColorConversionCodes.Lab2BGR);
        var result = new Mat();
        bgr.ConvertTo(result, MatType.CV_8UC3, 255);
        return result;
    }
}
