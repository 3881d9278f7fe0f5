using System.Globalization;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Restores a photo: two-pass non-local-means denoising, Richardson–Lucy deblurring of a Gaussian
/// blur, edge-aware upscaling; <c>auto</c> measures noise and blur and chains what the picture needs.
/// Works on the selection or the whole layer; upscaling (scale &gt; 1) on the whole layer only.
/// </summary>
internal static class RestoreOperation
{
    public const string Name = "restore";

    /// <summary>Auto denoises above this estimated noise σ (8-bit levels); clean photos measure 1–4.</summary>
    public const double NoiseThreshold = 5;

    /// <summary>Auto deblurs above this estimated blur σ (pixels); sharp photos measure 0–0.7.</summary>
    public const double BlurThreshold = 1.0;

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Restore a damaged photo: remove noise, undo blur, enlarge.",
        [
            new ParameterDescriptor("method", ParameterKind.Choice, "auto: measure noise and blur and fix what is found (then enlarge when scale > 1); denoise: two-pass non-local means; deblur: Richardson–Lucy deconvolution of a Gaussian blur; upscale: enlarge only (edge-aware back-projection)", RestoreMethod.Auto, Choices: RestoreMethod.All),
            new ParameterDescriptor("noise_sigma", ParameterKind.Number, "noise level to remove, 8-bit levels (σ of the noise); 0 = measure it", 0.0, 0, 100),
            new ParameterDescriptor("blur_sigma", ParameterKind.Number, "radius of the blur to undo (σ of a Gaussian, pixels); 0 = measure it", 0.0, 0, 10),
            new ParameterDescriptor("iterations", ParameterKind.Integer, "deblur iterations: more is sharper, and noisier", 30.0, 1, 200),
            new ParameterDescriptor("scale", ParameterKind.Integer, "enlarge the whole layer this many times (1 = keep the size); needs the whole layer", 1.0, 1, 4),
        ],
        Inputs: null,
        OutputScaleParameter: "scale");

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        LayerCheck.NotAllTransparent(request.Image, "restore");
        string method = request.Text("method");
        int scale = request.Integer("scale");
        if (method == RestoreMethod.Upscale && scale < 2)
            throw new EngineInputException("scale", "upscale needs scale 2, 3 or 4");
        var resolved = new Dictionary<string, object>();
        using var bgr = RgbaMat.Bgr(request.Image);
        // Each stage owns its input and disposes it: a cancelled stage may still be running natively.
        Mat? current = new();
        bgr.ConvertTo(current, MatType.CV_32FC3);
        try
        {
            var steps = new List<string>();
            if (method is RestoreMethod.Auto or RestoreMethod.Denoise)
            {
                double sigma = request.Number("noise_sigma");
                if (sigma <= 0)
                    sigma = NoiseEstimate.Sigma(bgr);
                resolved["noise_sigma"] = Math.Round(sigma, 2);
                if (method == RestoreMethod.Denoise || sigma > NoiseThreshold)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var span = new ProgressSpan(progress, 0, 0.45, $"denoising (σ {sigma.ToString("0.0", CultureInfo.InvariantCulture)})");
                    span.Report(0);
                    current.Dispose();
                    current = null;
                    current = await TwoPassDenoise.RunAsync(bgr, Math.Max(sigma, 0.5), cancellationToken, span.Report);
                    steps.Add(RestoreMethod.Denoise);
                }
            }

            if (method is RestoreMethod.Auto or RestoreMethod.Deblur)
            {
                double sigma = request.Number("blur_sigma");
                if (sigma <= 0)
                {
                    using var measured = new Mat();
                    current.ConvertTo(measured, MatType.CV_8UC3);
                    sigma = BlurEstimate.Sigma(measured);
                }

                resolved["blur_sigma"] = Math.Round(sigma, 2);
                if (sigma > 0 && (method == RestoreMethod.Deblur || sigma > BlurThreshold))
                {
                    int iterations = request.Integer("iterations");
                    cancellationToken.ThrowIfCancellationRequested();
                    var span = new ProgressSpan(progress, 0.45, 0.9, $"deblurring (σ {sigma.ToString("0.0", CultureInfo.InvariantCulture)})");
                    span.Report(0);
                    var input = current;
                    current = null;
                    current = await NativeCall.RunAsync(() =>
                    {
                        using (input)
                            return RichardsonLucy.Deconvolve(input, sigma, iterations, done => span.Report(done, iterations), cancellationToken);
                    }, cancellationToken);
                    steps.Add(RestoreMethod.Deblur);
                }
            }

            if (scale > 1)
            {
                cancellationToken.ThrowIfCancellationRequested();
                new ProgressSpan(progress, 0.9, 1, $"enlarging ×{scale}").Report(0);
                var input = current;
                current = null;
                current = await NativeCall.RunAsync(() =>
                {
                    using (input)
                        return BackProjectionUpscale.Upscale(input, scale, cancellationToken);
                }, cancellationToken);
                steps.Add(RestoreMethod.Upscale);
            }

            if (method == RestoreMethod.Auto)
                resolved["method"] = steps.Count == 0 ? "none" : string.Join("+", steps);
            cancellationToken.ThrowIfCancellationRequested();
            new ProgressSpan(progress, 1, 1, "restored").Report(1);
            var pixels = steps.Count == 0 ? (byte[])request.Image.Pixels.Clone()
                : scale > 1 ? WithUpscaledAlpha(current, request.Image, scale)
                : RgbaMat.ToRgba(current, request.Image);
            return new EngineOutput(new EngineImage(request.Image.Width * scale, request.Image.Height * scale, pixels), "cpu", ResolvedParameters: resolved);
        }
        finally
        {
            current?.Dispose();
        }
    }

    private static byte[] WithUpscaledAlpha(Mat bgr, EngineImage original, int scale)
    {
        using var alpha = RgbaMat.Alpha(original);
        using var bigAlpha = BackProjectionUpscale.UpscaleAlpha(alpha, scale);
        var alphaBytes = RgbaMat.Bytes(bigAlpha);
        var big = new EngineImage(bgr.Cols, bgr.Rows, new byte[bgr.Cols * bgr.Rows * 4]);
        for (int p = 0; p < alphaBytes.Length; p++)
            big.Pixels[p * 4 + 3] = alphaBytes[p];
        return RgbaMat.ToRgba(bgr, big);
    }
}
