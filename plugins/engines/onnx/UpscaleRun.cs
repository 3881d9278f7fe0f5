using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Upscaling (kind upscale → operation restore): the whole layer in tiles with blended overlaps, so any
/// size fits in memory bounded by the tile. The parameter "scale" follows the classic engine's restore
/// (the daemon's OutputScaleParameter): the model's own factor, or a divisor of it (the model's answer
/// is then averaged down; scale 1 restores at the same size).
/// </summary>
internal static class UpscaleRun
{
    public const string Name = "restore";

    /// <summary>
    /// A model without a tile size still gets tiles when its answer would pass this: ONNX Runtime's
    /// managed API cannot hand a tensor of 2 GiB or more to .NET as one span (a whole 4096² ×4 answer is 3 GiB).
    /// </summary>
    internal const long LargestAnswerBytes = 1L << 30;

    private const int FallbackTile = 1024;
    private const int FallbackOverlap = 32;

    public static OperationDescriptor Describe(IReadOnlyList<InstalledModel> models) => new(
        Name,
        "Restore and enlarge with an upscaling model (ESRGAN-class).",
        [
            new ParameterDescriptor("scale", ParameterKind.Integer, "enlarge the whole layer this many times: the model's factor or a divisor of it (1 = keep the size); needs the whole layer", (double)models[0].Signature.Scale, 1, models.Max(m => m.Signature.Scale)),
        ],
        OutputScaleParameter: "scale") { Models = models.Select(m => m.Name).ToList() };

    public static async Task<EngineImage> RunAsync(InstalledModel model, InferenceSession session, EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var signature = model.Signature;
        int factor = Math.Max(1, signature.Scale), scale = request.Integer("scale");
        if (scale < 1 || factor % scale != 0)
            throw new EngineInputException("scale", $"model '{model.Name}' enlarges {factor}×; scale must be one of {string.Join(", ", Enumerable.Range(1, factor).Where(d => factor % d == 0))}");
        var input = model.Input("image");
        var output = model.Output("image");
        var settings = new TileSettings(signature.Tile, signature.TileOverlap, factor, signature.FixedSize, signature.SizeMultiple);
        if (settings.Side == 0 && (long)image.Width * image.Height * factor * factor * 3 * sizeof(float) > LargestAnswerBytes)
            settings = settings with { Tile = FallbackTile, Overlap = Math.Max(settings.Overlap, FallbackOverlap) };
        var rgba = await TiledRun.RunAsync(
            image.Pixels,
            image.Width,
            image.Height,
            settings,
            ModelPass.Tiles(session, input, output),
            ModelPass.ProgressOf(progress),
            cancellationToken);
        int width = image.Width * factor, height = image.Height * factor;
        PutAlpha(rgba, image, width, height);
        if (scale == factor)
            return new EngineImage(width, height, rgba);
        return BoxDown(rgba, width, height, factor / scale);
    }

    /// <summary>The layer's alpha, enlarged bilinearly, in place of the model's (which never saw it).</summary>
    private static void PutAlpha(byte[] rgba, EngineImage image, int width, int height)
    {
        var alpha = ImageTensors.Alpha(image.Pixels);
        if (Array.TrueForAll(alpha, a => a == 255))
            return;
        var enlarged = PlaneResize.Bytes(alpha, image.Width, image.Height, width, height);
        for (int p = 0; p < enlarged.Length; p++)
            rgba[p * 4 + 3] = enlarged[p];
    }

    /// <summary>Averages each <paramref name="step"/>×<paramref name="step"/> block into one pixel.</summary>
    private static EngineImage BoxDown(byte[] rgba, int width, int height, int step)
    {
        int newWidth = width / step, newHeight = height / step;
        var result = new byte[newWidth * newHeight * 4];
        for (int y = 0; y < newHeight; y++)
            for (int x = 0; x < newWidth; x++)
                for (int c = 0; c < 4; c++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < step; dy++)
                        for (int dx = 0; dx < step; dx++)
                            sum += rgba[((y * step + dy) * width + x * step + dx) * 4 + c];
                    result[(y * newWidth + x) * 4 + c] = (byte)((sum + step * step / 2) / (step * step));
                }

        return new EngineImage(newWidth, newHeight, result);
    }
}
