using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Inpainting (kind inpaint → operation fill): the work area, scaled down to the model's fixed size when
/// larger, padded to its size rules, with the hole as the model's mask. Known pixels come back as they were.
/// </summary>
internal static class FillRun
{
    public const string Name = "fill";

    public static OperationDescriptor Describe(IReadOnlyList<InstalledModel> models)
    {
        var first = models[0].Signature;
        return new OperationDescriptor(
            Name,
            "Fill the selection with an inpainting model (LaMa-class).",
            [],
            RequiresMask: true,
            MaxWorkingSide: first.FixedSize > 0 ? first.FixedSize : first.Tile > 0 ? first.Tile : 2048,
            SizeMultiple: Math.Max(1, first.SizeMultiple)) { Models = models.Select(m => m.Name).ToList() };
    }

    public static EngineImage Run(InstalledModel model, InferenceSession session, EngineRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var hole = request.Mask?.Coverage ?? throw new EngineInputException("mask", "fill needs a selection: the area to fill");
        var signature = model.Signature;
        int width = image.Width, height = image.Height;
        var (fitWidth, fitHeight) = Fit(width, height, signature.FixedSize);
        var pixels = PlaneResize.Rgba(image.Pixels, width, height, fitWidth, fitHeight);
        var mask = PlaneResize.Bytes(hole, width, height, fitWidth, fitHeight);
        for (int i = 0; i < mask.Length; i++)
            mask[i] = mask[i] >= 128 ? (byte)255 : (byte)0;
        var (modelWidth, modelHeight) = new TileSettings(FixedSize: signature.FixedSize, SizeMultiple: signature.SizeMultiple).ModelSize(fitWidth, fitHeight);
        var imageInput = model.Input("image");
        var maskInput = model.Input("mask");
        var answer = ModelPass.Run(
            session,
            [
                (imageInput, ImageTensors.FromRgba(TiledRun.Pad(pixels, fitWidth, fitHeight, modelWidth, modelHeight), modelWidth, modelHeight, imageInput)),
                (maskInput, ImageTensors.FromCoverage(PadMask(mask, fitWidth, fitHeight, modelWidth, modelHeight), modelWidth, modelHeight, maskInput)),
            ],
            model.Output("image"),
            cancellationToken);
        if (answer.Width != modelWidth || answer.Height != modelHeight)
            throw new InvalidDataException($"model '{model.Name}' answered {answer.Width}x{answer.Height} for a {modelWidth}x{modelHeight} input");
        var filled = PlaneResize.Planes(answer.Crop(0, 0, fitWidth, fitHeight), width, height);
        var rgba = ImageTensors.ToRgba(filled, ReadOnlySpan<byte>.Empty);
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] == 0)
                image.Pixels.AsSpan(p * 4, 4).CopyTo(rgba.AsSpan(p * 4));
        }

        return new EngineImage(width, height, rgba);
    }

    /// <summary>The size a picture is scaled to so it fits a fixed-size model (unchanged when it fits or the model takes any size).</summary>
    internal static (int Width, int Height) Fit(int width, int height, int fixedSize)
    {
        if (fixedSize <= 0 || (width <= fixedSize && height <= fixedSize))
            return (width, height);
        double factor = (double)fixedSize / Math.Max(width, height);
        return (Math.Clamp((int)Math.Round(width * factor), 1, fixedSize), Math.Clamp((int)Math.Round(height * factor), 1, fixedSize));
    }

    private static byte[] PadMask(byte[] mask, int width, int height, int modelWidth, int modelHeight)
    {
        var padded = new byte[modelWidth * modelHeight];
        for (int y = 0; y < height; y++)
            mask.AsSpan(y * width, width).CopyTo(padded.AsSpan(y * modelWidth));
        return padded;
    }
}
