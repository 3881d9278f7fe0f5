using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Non-local-means denoising in two passes: OpenCV's fastNlMeansDenoisingColored gives a pilot
/// estimate, then <see cref="GuidedNonLocalMeans"/> averages the noisy pixels with weights measured
/// on the pilot. Strengths follow the noise level σ (estimated when not given); the factors were
/// tuned on the test photos (see docs/classic-engine.md).
/// </summary>
internal static class TwoPassDenoise
{
    public const double PilotStrength = 0.55;
    public const double PilotColourStrength = 0.65;
    public const double SecondStrength = 0.4;
    public const int SearchRadius = 7;
    public const int PatchRadius = 2;

    /// <summary>Denoises 8-bit BGR pixels with noise level <paramref name="sigma"/>; returns float BGR, 0..255.</summary>
    /// <param name="progress">Fractions 0..1 as the passes go (the pilot is the first third), or null.</param>
    public static async Task<Mat> RunAsync(Mat bgr, double sigma, CancellationToken cancellationToken, Action<double>? progress = null)
    {
        // the native call gets its own copy: when cancelled it runs on after this method returns
        var input = bgr.Clone();
        var pilot = await NativeCall.RunAsync(() =>
        {
            using (input)
            {
                var denoised = new Mat();
                Cv2.FastNlMeansDenoisingColored(input, denoised, (float)(PilotStrength * sigma), (float)(PilotColourStrength * sigma), 7, 21);
                return denoised;
            }
        }, cancellationToken);
        using (pilot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(1 / 3.0);
            using var noisyFloat = new Mat();
            using var pilotFloat = new Mat();
            bgr.ConvertTo(noisyFloat, MatType.CV_32FC3);
            pilot.ConvertTo(pilotFloat, MatType.CV_32FC3);
            var filtered = await Task.Run(() => GuidedNonLocalMeans.Filter(
                RgbaMat.Floats(noisyFloat), RgbaMat.Floats(pilotFloat), bgr.Cols, bgr.Rows, 3,
                SecondStrength * sigma, SearchRadius, PatchRadius, cancellationToken,
                progress is null ? null : done => progress(1 / 3.0 + 2 / 3.0 * done)), cancellationToken);
            return RgbaMat.FromFloats(bgr.Rows, bgr.Cols, 3, filtered);
        }
    }
}
