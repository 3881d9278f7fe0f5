using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The pixels one job sends, captured from the document when the painter presses OK: the part of
/// the active layer the daemon may look at, and the selection (null when the operation works on
/// the whole layer and nothing is selected).
/// </summary>
public sealed class JobInput
{
    private JobInput(int canvasWidth, int canvasHeight, BgraImage layer, CoverageMask? mask)
    {
        CanvasWidth = canvasWidth;
        CanvasHeight = canvasHeight;
        Layer = layer;
        Mask = mask;
    }

    public int CanvasWidth { get; }

    public int CanvasHeight { get; }

    /// <summary>The active layer, or the crop of it around the selection that the daemon can use.</summary>
    public BgraImage Layer { get; }

    /// <summary>The selection, tight around its selected pixels; null = the whole layer.</summary>
    public CoverageMask? Mask { get; }

    public CanvasRect Canvas => new(0, 0, CanvasWidth, CanvasHeight);

    /// <summary>
    /// Reads the selection and the pixels around it from <paramref name="document"/>.
    /// Throws <see cref="EditorBridgeProblem"/> when nothing usable is selected or the area is
    /// over the daemon's <paramref name="limits"/>.
    /// </summary>
    /// <param name="requiresMask">The operation needs unselected surroundings (fill does).</param>
    /// <param name="contextMargin">
    /// How far around the selection the daemon may look (see <see cref="ContextMargin"/>); the crop
    /// sent is the selection's box grown by this, so the daemon sees what it would in the whole layer.
    /// </param>
    public static JobInput Capture(IHostDocument document, bool requiresMask, int contextMargin, Limits? limits)
    {
        var mask = ReadSelection(document, requiresMask);
        var canvas = new CanvasRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        var area = mask is null ? canvas : mask.Bounds.Inflate(Math.Max(0, contextMargin)).Intersect(canvas);
        CheckLimits(area, limits);
        var pixels = new byte[area.Area * BgraImage.BytesPerPixel];
        document.ReadSource(area, pixels);
        return new JobInput(canvas.Width, canvas.Height, new BgraImage(area, pixels), mask);
    }

    /// <summary>
    /// The selection, tight around its selected pixels; null when the whole canvas is selected and
    /// the operation does not need a selection. Throws <see cref="EditorBridgeProblem"/> ("select a
    /// region first") when nothing is selected, or everything is and the operation needs surroundings.
    /// </summary>
    public static CoverageMask? ReadSelection(IHostDocument document, bool requiresMask)
    {
        ArgumentNullException.ThrowIfNull(document);
        var canvas = new CanvasRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        if (canvas.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the picture is empty.");
        var reported = document.SelectionBounds.Intersect(canvas);
        if (reported.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the selection is empty.");
        var coverage = new byte[reported.Area];
        document.ReadSelection(reported, coverage);
        var full = new CoverageMask(reported, coverage);
        var selected = full.SelectedBounds();
        if (selected.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the selection is empty (no pixel is selected).");
        if (selected != canvas || !full.CoversFully(canvas))
            return full.CropTo(selected);
        if (requiresMask)
            throw EditorBridgeProblem.SelectRegionFirst("the whole picture is selected (Paint.NET selects everything when nothing is selected), and this needs unselected pixels around the region to work from.");
        return null;
    }

    /// <summary>
    /// The margin around the selection's box that covers everything the daemon may read: it grows
    /// the selection, then takes up to <c>context_max_pixels</c> of context around it, and its soft
    /// edge looks <c>feather + 1</c> pixels past the result.
    /// </summary>
    public static int ContextMargin(GeometryOptions? defaults, JobSettings settings)
    {
        int grow = Math.Max(0, settings.GrowPixels);
        int feather = settings.FeatherPixels ?? (defaults is { HasFeatherPixels: true } ? defaults.FeatherPixels : 0);
        int context = defaults is { HasContextMaxPixels: true } ? defaults.ContextMaxPixels : 512;
        return grow + Math.Max(context, feather + 1) + 1;
    }

    private static void CheckLimits(CanvasRect area, Limits? limits)
    {
        if (limits is null)
            return;
        if (limits.MaxSide > 0 && Math.Max(area.Width, area.Height) > limits.MaxSide)
            throw new EditorBridgeProblem(ProblemKind.TooLarge,
                $"The area to send ({area.Width}x{area.Height} pixels) is larger than EditorBridge accepts ({limits.MaxSide} pixels a side). Select a smaller region.");
        if (limits.MaxPixels > 0 && area.Area > limits.MaxPixels)
            throw new EditorBridgeProblem(ProblemKind.TooLarge,
                $"The area to send ({area.Width}x{area.Height} = {area.Area} pixels) is over EditorBridge's limit of {limits.MaxPixels} pixels. Select a smaller region.");
        if (limits.MaxRequestBytes > 0 && area.Area * 5 > limits.MaxRequestBytes)
            throw new EditorBridgeProblem(ProblemKind.TooLarge,
                $"The area to send ({area.Area * 5} bytes with its mask) is over EditorBridge's request limit of {limits.MaxRequestBytes} bytes. Select a smaller region.");
    }
}
