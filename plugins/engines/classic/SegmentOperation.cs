using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Selects the subject from a box or a click point (GrabCut) and answers it as a mask, which the
/// editor turns into a selection. The layer comes back unchanged.
/// </summary>
internal static class SegmentOperation
{
    public const string Name = "segment";

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Select the subject at a click point or inside a box.",
        [
            new ParameterDescriptor("x", ParameterKind.Number, "the click point's column, or the box's left edge (canvas pixels)", 0.0, Axis: CanvasAxis.X, Required: true),
            new ParameterDescriptor("y", ParameterKind.Number, "the click point's row, or the box's top edge (canvas pixels)", 0.0, Axis: CanvasAxis.Y, Required: true),
            new ParameterDescriptor("width", ParameterKind.Number, "the box's width (canvas pixels); 0 = a click point", 0.0, 0, Axis: CanvasAxis.Width),
            new ParameterDescriptor("height", ParameterKind.Number, "the box's height (canvas pixels); 0 = a click point", 0.0, 0, Axis: CanvasAxis.Height),
            new ParameterDescriptor("iterations", ParameterKind.Integer, "GrabCut refinement rounds", 5.0, 1, 20),
        ],
        MaxWorkingSide: 512);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        LayerCheck.NotAllTransparent(image, "select");
        if (image.Width < 4 || image.Height < 4)
            throw new EngineInputException("mask", $"a {image.Width}x{image.Height} work area is too small to tell a subject from its background");
        double x = request.Number("x"), y = request.Number("y"), width = request.Number("width"), height = request.Number("height");
        var point = new Point((int)Math.Round(x), (int)Math.Round(y));
        Rect? box = null;
        if (width >= 1 && height >= 1)
        {
            int left = Math.Max(0, (int)Math.Floor(x)), top = Math.Max(0, (int)Math.Floor(y));
            int right = Math.Min(image.Width, (int)Math.Ceiling(x + width)), bottom = Math.Min(image.Height, (int)Math.Ceiling(y + height));
            if (right - left < 2 || bottom - top < 2)
                throw new EngineInputException("width", "the box lies outside the area being segmented (the selection's surroundings)");
            box = new Rect(left, top, right - left, bottom - top);
        }
        else if (point.X < 0 || point.Y < 0 || point.X >= image.Width || point.Y >= image.Height)
            throw new EngineInputException("x", "the point lies outside the area being segmented (the selection's surroundings)");

        // transparent pixels are certainly not the subject; the selection only limits the answer (the
        // subject may reach beyond it, and its colours outside must not teach GrabCut "background")
        var outside = new byte[image.Width * image.Height];
        for (int p = 0; p < outside.Length; p++)
            outside[p] = (byte)(image.Pixels[p * 4 + 3] == 0 ? 1 : 0);
        int at = point.Y * image.Width + point.X;
        if (box is null && (outside[at] != 0 || (request.Mask is not null && request.Mask.Coverage[at] == 0)))
            throw new EngineInputException("x", "the point is on a transparent pixel or outside the selection: nothing to select there");
        int iterations = request.Integer("iterations");
        var span = new ProgressSpan(progress, 0, 0.95, box is null ? "from the point" : "from the box");
        span.Report(0);
        using var bgr = RgbaMat.Bgr(image);
        var input = bgr.Clone();
        var coverage = await NativeCall.RunAsync(() =>
        {
            using (input)
                return GrabCutSegmenter.Segment(input, outside, point, box, iterations, cancellationToken, span.Report);
        }, cancellationToken);
        if (request.Mask is { } selection)
        {
            for (int p = 0; p < coverage.Length; p++)
            {
                if (selection.Coverage[p] == 0)
                    coverage[p] = 0;
            }
        }

        span.Next(1, "segmented").Report(1);
        return new EngineOutput(new EngineImage(image.Width, image.Height, (byte[])image.Pixels.Clone()), "cpu",
            Mask: new EngineMask(image.Width, image.Height, coverage));
    }
}
