using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// What a job on a remote daemon sends: only the part of the picture its selection needs
/// (selection + context, as the daemon's own rule says through GetInfo's context query), so a
/// small selection on a large picture crosses the network in kilobytes. The result is the same
/// as with the whole picture (the daemon sees the same context). The whole picture goes when
/// there is no selection (the operation works on all of it), for an outpaint (fill's caller
/// decides), and for an operation with canvas-coordinate parameters (segment's point or box may
/// lie anywhere on the picture, and positions must lie on the layer sent).
/// </summary>
public static class RemoteCrop
{
    /// <summary>The area to send for <paramref name="request"/> (its operation, engine, model and geometry set).</summary>
    public static async Task<PixelRect> AreaForAsync(DaemonConnection connection, DaemonInfo info, JobRequest request, PixelRect picture, SelectionMask? selection, CancellationToken cancellationToken)
    {
        if (!connection.IsRemote || selection is null || Offered(info, request.Operation, request.Engine).Any(o => o.Parameters.Any(p => p.CanvasAxis != CanvasAxis.Unspecified)))
            return picture;
        return await AreaAsync(connection.Client, request, picture, selection, cancellationToken);
    }

    /// <summary>A canvas-aligned extra picture (hints, object) is cut to the layer's area; a free one (reference) goes whole.</summary>
    public static bool IsCanvasAligned(DaemonInfo info, JobRequest request, string role) =>
        Offered(info, request.Operation, request.Engine).Any(o => o.Inputs.Any(i => i.Name == role && i.CanvasAligned));

    // the operation as the named engine (or, with none named, every engine) offers it
    private static IEnumerable<OperationInfo> Offered(DaemonInfo info, string operation, string engine) =>
        info.Engines.Where(e => engine.Length == 0 || e.Name == engine).SelectMany(e => e.Operations).Where(o => o.Name == operation);

    public static async Task<PixelRect> AreaAsync(EditorBridgeClient client, JobRequest request, PixelRect picture, SelectionMask selection, CancellationToken cancellationToken)
    {
        var selected = selection.SelectedBounds();
        if (selected.Area == 0)
            return picture; // the daemon refuses an empty selection with its own message
        var answer = await client.PlanContextAsync(new ContextQuery
        {
            Selection = new Rect { X = selected.X, Y = selected.Y, Width = selected.Width, Height = selected.Height },
            Layer = new Rect { X = picture.X, Y = picture.Y, Width = picture.Width, Height = picture.Height },
            Operation = request.Operation,
            Engine = request.Engine,
            Model = request.Model,
            Geometry = request.Geometry,
        }, DaemonConnection.ProbeTimeout, cancellationToken);
        if (answer?.Crop is not { Width: > 0, Height: > 0 } crop)
            return picture;
        var area = new PixelRect(crop.X, crop.Y, crop.Width, crop.Height).Intersect(picture);
        return area.Contains(selected) ? area : picture;
    }
}
