using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The pixels one job sends, captured from the document when the painter presses OK: the part of
/// the active layer the daemon may look at, and the selection (null when the operation works on
/// the whole layer and nothing is selected).
/// </summary>
public sealed class JobInput
{
    private JobInput(int canvasWidth, int canvasHeight, BgraImage layer, SelectionMask? mask)
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
    public SelectionMask? Mask { get; }

    public PixelRect Canvas => new(0, 0, CanvasWidth, CanvasHeight);

    /// <summary>
    /// Reads the selection, asks the daemon which part of the layer the job needs (the one context
    /// rule, <see cref="IDaemonGateway.PlanContextAsync"/>) and reads that crop: the daemon then sees
    /// what it would see in the whole layer. Throws <see cref="EditorBridgeProblem"/> when nothing
    /// usable is selected or the area is over the daemon's <paramref name="limits"/>.
    /// </summary>
    /// <param name="requiresMask">The operation needs unselected surroundings (fill does).</param>
    public static async Task<JobInput> CaptureAsync(IHostDocument document, bool requiresMask, JobSettings settings, IDaemonGateway gateway, Limits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var mask = await Task.Run(() => ReadSelection(document, requiresMask), cancellationToken).ConfigureAwait(false);
        var canvas = new PixelRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        var area = canvas;
        if (mask is not null)
            area = CropOf(await gateway.PlanContextAsync(Query(canvas, mask, settings), cancellationToken).ConfigureAwait(false), canvas);
        return await Task.Run(() => Capture(document, mask, area, limits), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The context query for a selection: its tight box on the canvas, with the job's operation, engine, model and geometry.</summary>
    public static ContextQuery Query(PixelRect canvas, SelectionMask mask, JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(settings);
        return new ContextQuery
        {
            Selection = new Rect { X = mask.Bounds.X, Y = mask.Bounds.Y, Width = mask.Bounds.Width, Height = mask.Bounds.Height },
            Layer = new Rect { Width = canvas.Width, Height = canvas.Height },
            Operation = settings.Operation,
            Engine = settings.Engine,
            Model = settings.Model,
            Geometry = JobRunner.Geometry(settings),
        };
    }

    /// <summary>
    /// Reads <paramref name="area"/> of the layer (the whole canvas when <paramref name="mask"/> is
    /// null) for a selection read with <see cref="ReadSelection"/>.
    /// </summary>
    public static JobInput Capture(IHostDocument document, SelectionMask? mask, PixelRect area, Limits? limits)
    {
        ArgumentNullException.ThrowIfNull(document);
        var canvas = new PixelRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        area = mask is null ? canvas : area.Intersect(canvas);
        if (mask is not null && !area.Contains(mask.Bounds))
            throw new ArgumentException($"the area {area} must hold the selection {mask.Bounds}", nameof(area));
        CheckLimits(area, limits);
        var pixels = new byte[area.Area * BgraImage.BytesPerPixel];
        document.ReadSource(area, pixels);
        return new JobInput(canvas.Width, canvas.Height, new BgraImage(area, pixels), mask);
    }

    private static PixelRect CropOf(ContextAnswer answer, PixelRect canvas) =>
        answer?.Crop is { } crop
            ? new PixelRect(crop.X, crop.Y, crop.Width, crop.Height)
            : canvas; // a daemon older than the context rule: send everything, which is always right

    /// <summary>
    /// The selection, tight around its selected pixels; null when the whole canvas is selected and
    /// the operation does not need a selection. Throws <see cref="EditorBridgeProblem"/> ("select a
    /// region first") when nothing is selected, or everything is and the operation needs surroundings.
    /// </summary>
    public static SelectionMask? ReadSelection(IHostDocument document, bool requiresMask)
    {
        ArgumentNullException.ThrowIfNull(document);
        var canvas = new PixelRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        if (canvas.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the picture is empty.");
        var reported = document.SelectionBounds.Intersect(canvas);
        if (reported.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the selection is empty.");
        var coverage = new byte[reported.Area];
        document.ReadSelection(reported, coverage);
        var full = new SelectionMask(reported, coverage);
        var selected = full.SelectedBounds();
        if (selected.IsEmpty)
            throw EditorBridgeProblem.SelectRegionFirst("the selection is empty (no pixel is selected).");
        if (selected != canvas || !full.CoversFully(canvas))
            return full.CropTo(selected);
        if (requiresMask)
            throw EditorBridgeProblem.SelectRegionFirst("the whole picture is selected (Paint.NET selects everything when nothing is selected), and this needs unselected pixels around the region to work from.");
        return null;
    }

    private static void CheckLimits(PixelRect area, Limits? limits)
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
