namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The result as a picture for the clipboard, so Edit > Paste into New Layer puts it on a layer of
/// its own (a Paint.NET effect cannot add a layer). It is canvas-sized and transparent outside the
/// selection, so pasted into a new layer it lines up with the picture; inside, the result's alpha
/// is scaled by the selection's coverage so soft selection edges stay soft.
/// </summary>
public sealed class ClipboardImage
{
    private ClipboardImage(int width, int height, byte[] png)
    {
        Width = width;
        Height = height;
        Png = png;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The picture as a PNG file (RGBA, straight alpha): the clipboard's "PNG" format.</summary>
    public byte[] Png { get; }

    public static ClipboardImage From(JobOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var result = outcome.Result;
        var selection = outcome.Selection;
        var area = selection is null ? result.Bounds : result.Bounds.Intersect(selection.Bounds);
        var png = PngWriter.Encode(outcome.CanvasWidth, outcome.CanvasHeight, (y, row) =>
        {
            row.Clear();
            if (y < area.Y || y >= area.Bottom)
                return;
            var source = result.Row(y, area.X, area.Width);
            var target = row.Slice(area.X * 4, area.Width * 4);
            WirePixels.SwapRedBlue(source, target);
            if (selection is null)
                return;
            var coverage = selection.Row(y, area.X, area.Width);
            for (int x = 0; x < coverage.Length; x++)
            {
                int c = coverage[x];
                if (c == 255)
                    continue;
                if (c == 0)
                    target.Slice(x * 4, 4).Clear();
                else
                    target[x * 4 + 3] = (byte)((target[x * 4 + 3] * c + 127) / 255);
            }
        }, cancellationToken);
        return new ClipboardImage(outcome.CanvasWidth, outcome.CanvasHeight, png);
    }
}
