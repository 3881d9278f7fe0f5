using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Segmentation (kind segment) with a salient-object model (U²-Net, ISNet class): a box is cut out
/// and segmented alone; a click point selects the connected region the model calls subject under
/// it. The answer is a mask (soft: the model's probability); the layer comes back unchanged.
/// Parameters are the classic engine's (x, y, width, height as canvas coordinates), so editors
/// work the same with either engine.
/// </summary>
internal static class SegmentRun
{
    public const string Name = "segment";

    public static OperationDescriptor Describe(IReadOnlyList<InstalledModel> models) => new(
        Name,
        "Select the subject at a click point or inside a box with a segmentation model.",
        [
            new ParameterDescriptor("x", ParameterKind.Number, "the click point's column, or the box's left edge (canvas pixels)", 0.0, Axis: CanvasAxis.X, Required: true),
            new ParameterDescriptor("y", ParameterKind.Number, "the click point's row, or the box's top edge (canvas pixels)", 0.0, Axis: CanvasAxis.Y, Required: true),
            new ParameterDescriptor("width", ParameterKind.Number, "the box's width (canvas pixels); 0 = a click point", 0.0, 0, Axis: CanvasAxis.Width),
            new ParameterDescriptor("height", ParameterKind.Number, "the box's height (canvas pixels); 0 = a click point", 0.0, 0, Axis: CanvasAxis.Height),
            new ParameterDescriptor("threshold", ParameterKind.Number, "the model's probability from which a pixel counts as subject", 0.5, 0.01, 0.99),
        ],
        MaxWorkingSide: Math.Max(512, models[0].Signature.FixedSize))
    { Models = models.Select(m => m.Name).ToList() };

    public static (EngineImage Image, EngineMask Mask) Run(InstalledModel model, InferenceSession session, EngineRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image;
        int width = image.Width, height = image.Height;
        double x = request.Number("x"), y = request.Number("y"), boxWidth = request.Number("width"), boxHeight = request.Number("height");
        double threshold = request.Number("threshold");
        var coverage = new byte[width * height];
        if (boxWidth >= 1 && boxHeight >= 1)
        {
            int left = Math.Max(0, (int)Math.Floor(x)), top = Math.Max(0, (int)Math.Floor(y));
            int right = Math.Min(width, (int)Math.Ceiling(x + boxWidth)), bottom = Math.Min(height, (int)Math.Ceiling(y + boxHeight));
            if (right - left < 2 || bottom - top < 2)
                throw new EngineInputException("width", "the box lies outside the area being segmented (the selection's surroundings)");
            var crop = new byte[(right - left) * (bottom - top) * 4];
            for (int row = top; row < bottom; row++)
                image.Pixels.AsSpan((row * width + left) * 4, (right - left) * 4).CopyTo(crop.AsSpan((row - top) * (right - left) * 4));
            var probability = Probability(model, session, crop, right - left, bottom - top, cancellationToken);
            for (int row = top; row < bottom; row++)
                for (int column = left; column < right; column++)
                {
                    float p = probability[(row - top) * (right - left) + column - left];
                    coverage[row * width + column] = p >= threshold ? ImageTensors.ToByte(p) : (byte)0;
                }
        }
        else
        {
            int px = (int)Math.Round(x), py = (int)Math.Round(y);
            if (px < 0 || py < 0 || px >= width || py >= height)
                throw new EngineInputException("x", "the point lies outside the area being segmented (the selection's surroundings)");
            var probability = Probability(model, session, image.Pixels, width, height, cancellationToken);
            if (probability[py * width + px] < threshold)
                throw new EngineInputException("x", $"model '{model.Name}' sees no subject at the point (probability {probability[py * width + px]:0.00}, threshold {threshold:0.00})");
            Region(probability, width, height, px, py, (float)threshold, coverage);
        }

        for (int p = 0; p < coverage.Length; p++)
        {
            if (image.Pixels[p * 4 + 3] == 0)
                coverage[p] = 0;
        }

        return (new EngineImage(width, height, (byte[])image.Pixels.Clone()), new EngineMask(width, height, coverage));
    }

    /// <summary>The model's subject probability for each pixel of the picture given.</summary>
    private static float[] Probability(InstalledModel model, InferenceSession session, byte[] rgba, int width, int height, CancellationToken cancellationToken)
    {
        var signature = model.Signature;
        int modelWidth, modelHeight;
        byte[] fed;
        if (signature.FixedSize > 0)
        {
            (modelWidth, modelHeight) = (signature.FixedSize, signature.FixedSize);
            fed = PlaneResize.Rgba(rgba, width, height, modelWidth, modelHeight);
        }
        else
        {
            (modelWidth, modelHeight) = new TileSettings(SizeMultiple: signature.SizeMultiple).ModelSize(width, height);
            fed = TiledRun.Pad(rgba, width, height, modelWidth, modelHeight);
        }

        var answer = ModelPass.Picture(session, fed, modelWidth, modelHeight, model.Input("image"), model.Output("mask"), cancellationToken);
        if (signature.FixedSize <= 0)
            answer = answer.Crop(0, 0, width * answer.Width / modelWidth, height * answer.Height / modelHeight);
        var resized = PlaneResize.Planes(new PlanarImage(answer.Width, answer.Height, "l", answer.Data[..(answer.Width * answer.Height)]), width, height);
        return resized.Data;
    }

    /// <summary>Coverage for the 4-connected region at or above the threshold that holds the point.</summary>
    private static void Region(float[] probability, int width, int height, int px, int py, float threshold, byte[] coverage)
    {
        var visited = new bool[probability.Length];
        var pending = new Stack<int>();
        pending.Push(py * width + px);
        visited[py * width + px] = true;
        while (pending.Count > 0)
        {
            int at = pending.Pop();
            coverage[at] = ImageTensors.ToByte(probability[at]);
            int ax = at % width, ay = at / width;
            foreach (var next in (ReadOnlySpan<int>)[ax > 0 ? at - 1 : -1, ax + 1 < width ? at + 1 : -1, ay > 0 ? at - width : -1, ay + 1 < height ? at + width : -1])
            {
                if (next >= 0 && !visited[next] && probability[next] >= threshold)
                {
                    visited[next] = true;
                    pending.Push(next);
                }
            }
        }
    }
}
