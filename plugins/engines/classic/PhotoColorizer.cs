using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Colours a grey (or recolours a colour) photo while keeping its luminance: chroma from colour
/// hints by optimization (<see cref="OptimizationColorizer"/>), else from a reference's palette
/// (<see cref="LuminancePaletteTransfer"/>), else a sepia tone (<see cref="SepiaTone"/>).
/// </summary>
internal static class PhotoColorizer
{
    public const string FromHints = "hints";
    public const string FromReference = "reference";
    public const string Sepia = "sepia";

    /// <param name="progress">Fractions 0..1 between the steps (luma, chroma, colouring), or null.</param>
    public static (byte[] Pixels, string Source) Colorize(EngineImage image, int[]? seeds, EngineImage? reference, CancellationToken cancellationToken,
                                                         Action<double>? progress = null)
    {
        int width = image.Width, height = image.Height;
        using var bgr = RgbaMat.Bgr(image);
        using var ycrcb = new Mat();
        Cv2.CvtColor(bgr, ycrcb, ColorConversionCodes.BGR2YCrCb);
        var planes = RgbaMat.Bytes(ycrcb);
        var luma = new byte[width * height];
        for (int p = 0; p < luma.Length; p++)
            luma[p] = planes[p * 3];

        progress?.Invoke(0.1);
        float[][] chroma;
        string source;
        if (seeds is not null && HintSeeds.Any(seeds))
        {
            var isHint = new bool[luma.Length];
            var given = new[] { new float[luma.Length], new float[luma.Length] };
            for (int p = 0; p < seeds.Length; p++)
            {
                if (seeds[p] < 0)
                    continue;
                isHint[p] = true;
                (given[0][p], given[1][p]) = ChromaOf(seeds[p]);
            }

            chroma = OptimizationColorizer.Solve(width, height, luma.Select(v => v / 255f).ToArray(), isHint, given, cancellationToken);
            source = FromHints;
        }
        else if (reference is not null)
        {
            chroma = LuminancePaletteTransfer.Transfer(width, height, luma, VisibleYCrCb(reference));
            source = FromReference;
        }
        else
        {
            chroma = SepiaTone.Chroma(luma);
            source = Sepia;
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Invoke(0.9);
        for (int p = 0; p < luma.Length; p++)
        {
            planes[p * 3 + 1] = (byte)Math.Clamp(MathF.Round(chroma[0][p]), 0, 255);
            planes[p * 3 + 2] = (byte)Math.Clamp(MathF.Round(chroma[1][p]), 0, 255);
        }

        using var merged = Mat.FromPixelData(height, width, MatType.CV_8UC3, planes);
        using var coloured = new Mat();
        Cv2.CvtColor(merged, coloured, ColorConversionCodes.YCrCb2BGR);
        return (RgbaMat.ToRgba(coloured, image), source);
    }

    // OpenCV's 8-bit YCrCb of one packed RGB colour.
    private static (float Cr, float Cb) ChromaOf(int rgb)
    {
        float r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        float y = 0.299f * r + 0.587f * g + 0.114f * b;
        return (Math.Clamp((r - y) * 0.713f + 128, 0, 255), Math.Clamp((b - y) * 0.564f + 128, 0, 255));
    }

    private static List<(byte Y, byte Cr, byte Cb)> VisibleYCrCb(EngineImage reference)
    {
        using var bgr = RgbaMat.Bgr(reference);
        using var ycrcb = new Mat();
        Cv2.CvtColor(bgr, ycrcb, ColorConversionCodes.BGR2YCrCb);
        var planes = RgbaMat.Bytes(ycrcb);
        var visible = new List<(byte, byte, byte)>(reference.Width * reference.Height);
        for (int p = 0; p < reference.Width * reference.Height; p++)
        {
            if (reference.Pixels[p * 4 + 3] >= 128)
                visible.Add((planes[p * 3], planes[p * 3 + 1], planes[p * 3 + 2]));
        }

        return visible;
    }
}
