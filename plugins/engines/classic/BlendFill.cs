using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The default fill: a weighted average of three fills whose errors differ — Navier–Stokes
/// diffusion (continues edges smoothly), frequency selective reconstruction (continues regular
/// structure) and exemplar synthesis (copies texture). Averaging independent guesses lowers the
/// error of each (measured on the test photos: docs/classic-engine.md); the weight of the exemplar
/// fill (<c>texture</c>) trades that accuracy for visible texture. Frequency reconstruction costs
/// about 0.1 ms per hole pixel, so on large holes it runs on a copy scaled down to
/// <see cref="FrequencyMaxHolePixels"/> and is enlarged back: it adds the low frequencies there.
/// </summary>
internal static class BlendFill
{
    public const int FrequencyMaxHolePixels = 20000;

    /// <param name="texture">Weight of the exemplar fill, 0..1; diffusion and frequency share the rest.</param>
    public static async Task<byte[]> RunAsync(EngineImage image, EngineMask mask, double texture, ExemplarFillOptions exemplar,
                                              Action<int, int>? progress, CancellationToken cancellationToken)
    {
        double smooth = (1 - texture) / 2;
        if (smooth <= 0)
            return await Task.Run(() => ExemplarFill.Fill(image.Width, image.Height, image.Pixels, mask.Coverage, exemplar, progress, cancellationToken), cancellationToken);
        var diffusion = NativeCall.RunAsync(() => DiffusionFill.Fill(image, mask, InpaintTypes.NS, 5), cancellationToken);
        var frequency = NativeCall.RunAsync(() => Frequency(image, mask), cancellationToken);
        var copied = texture > 0
            ? Task.Run(() => ExemplarFill.Fill(image.Width, image.Height, image.Pixels, mask.Coverage, exemplar, progress, cancellationToken), cancellationToken)
            : Task.FromResult(image.Pixels);
        await Task.WhenAll(diffusion, frequency, copied);
        var (n, f, e) = (diffusion.Result, frequency.Result, copied.Result);
        var result = (byte[])image.Pixels.Clone();
        for (int p = 0; p < mask.Coverage.Length; p++)
        {
            if (mask.Coverage[p] == 0)
                continue;
            for (int c = 0; c < 4; c++)
            {
                int i = p * 4 + c;
                result[i] = (byte)Math.Clamp(Math.Round(smooth * (n[i] + f[i]) + texture * e[i]), 0, 255);
            }
        }

        return result;
    }

    // FSR at full size when the hole is small enough, else on a scaled-down copy, enlarged back.
    private static byte[] Frequency(EngineImage image, EngineMask mask)
    {
        int holePixels = mask.Coverage.Count(c => c != 0);
        if (holePixels <= FrequencyMaxHolePixels)
            return FrequencyFill.Fill(image, mask);
        double scale = Math.Sqrt((double)FrequencyMaxHolePixels / holePixels);
        int w = Math.Max(8, (int)Math.Round(image.Width * scale)), h = Math.Max(8, (int)Math.Round(image.Height * scale));
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        using var small = new Mat();
        Cv2.Resize(rgba, small, new Size(w, h), 0, 0, InterpolationFlags.Area);
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        using var smallHole = new Mat();
        Cv2.Resize(hole, smallHole, new Size(w, h), 0, 0, InterpolationFlags.Area);
        var coverage = RgbaMat.Bytes(smallHole).Select(v => v != 0 ? (byte)255 : (byte)0).ToArray();
        var filled = FrequencyFill.Fill(new EngineImage(w, h, RgbaMat.Bytes(small)), new EngineMask(w, h, coverage));
        using var filledMat = Mat.FromPixelData(h, w, MatType.CV_8UC4, filled);
        using var large = new Mat();
        Cv2.Resize(filledMat, large, new Size(image.Width, image.Height), 0, 0, InterpolationFlags.Cubic);
        return RgbaMat.Bytes(large);
    }
}
