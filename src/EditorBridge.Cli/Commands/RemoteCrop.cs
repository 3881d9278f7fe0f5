using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// What a job on a remote daemon sends: only the part of the picture its selection needs
/// (selection + context, as the daemon's own rule says through GetInfo's context query), so a
/// small selection on a large picture crosses the network in kilobytes. The result is the same
/// as with the whole picture (the daemon sees the same context).
/// </summary>
public static class RemoteCrop
{
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
