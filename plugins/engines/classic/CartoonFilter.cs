using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Cartoon: colours flattened by repeated bilateral filtering, lightness quantized into bands
/// (a, b kept), and dark outlines from an adaptive threshold of the median-filtered luminance.
/// </summary>
internal static class CartoonFilter
{
    public const int LightnessBands = 8;

    public static Mat Apply(Mat bgr)
    {
        using var flat = bgr.Clone();
        using var scratch = new Mat();
        for (int i = 0; i < 4; i++)
        {
            Cv2.BilateralFilter(flat, scratch, 7, 40, 5);
            scratch.CopyTo(flat);
        }

        using var lab = new Mat();
        Cv2.CvtColor(flat, lab, ColorConversionCodes.BGR2Lab);
        var channels = Cv2.Split(lab);
        try
        {
            // 8-bit Lab: L is 0..255; snap it to the middle of its band
            double step = 256.0 / LightnessBands;
            using var bands = new Mat();
            channels[0].ConvertTo(bands, MatType.CV_32F, 1 / step);
            using var floored = new Mat();
            Cv2.Threshold(bands, floored, 0, 0, ThresholdTypes.Tozero);
            var values = RgbaMat.Floats(floored);
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(Math.Min(Math.Floor(values[i]), LightnessBands - 1) * step + step / 2);
            using var quantized = RgbaMat.FromFloats(lab.Rows, lab.Cols, 1, values);
            quantized.ConvertTo(channels[0], MatType.CV_8U);
            Cv2.Merge(channels, lab);
        }
        finally
        {
            foreach (var channel in channels)
                channel.Dispose();
        }

        using var banded = new Mat();
        Cv2.CvtColor(lab, banded, ColorConversionCodes.Lab2BGR);
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        Cv2.MedianBlur(gray, gray, 5);
        using var paper = new Mat();
        Cv2.AdaptiveThreshold(gray, paper, 255, AdaptiveThresholdTypes.MeanC, ThresholdTypes.Binary, 9, 5);
        using var paperBgr = new Mat();
        Cv2.CvtColor(paper, paperBgr, ColorConversionCodes.GRAY2BGR);
        var result = new Mat();
        // outlines: where the threshold says "ink", darken to 15 % of the flat colour
        Cv2.Multiply(banded, paperBgr, result, 0.85 / 255);
        Cv2.AddWeighted(result, 1, banded, 0.15, 0, result);
        return result;
    }
}
