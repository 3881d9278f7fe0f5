using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core;
using PaintDotNet;
using PaintDotNet.Effects;
using PaintDotNet.Imaging;
using PaintDotNet.Rendering;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// One entry of Effects > EditorBridge. The dialog runs the job once when the painter presses OK
/// and hands the result over in the token; rendering only copies tiles from that cached result
/// (pixels outside the selection stay the source's) and checks for cancellation. Paint.NET then
/// writes the tiles into the selection on the active layer: one history step.
/// </summary>
public abstract class EditorBridgeEffect : BitmapEffect<EditorBridgeToken>
{
    private ResultRenderer renderer = new(null);
    private IEffectInputBitmap<ColorBgra32>? source;
    private bool fromDialog;

    protected EditorBridgeEffect(PluginOperation operation)
        : base(operation.MenuName, PluginOperation.SubmenuName, BitmapEffectOptions.Create() with { IsConfigurable = true })
    {
        Operation = operation;
    }

    public PluginOperation Operation { get; }

    protected override IEffectConfigForm OnCreateConfigForm()
    {
        fromDialog = true;
        return new EditorBridgeDialog(Operation);
    }

    protected override void OnInitializeRenderInfo(IBitmapEffectRenderInfo renderInfo)
    {
        renderInfo.OutputPixelFormat = PixelFormats.Bgra32;
        source = Environment.GetSourceBitmapBgra32();
        base.OnInitializeRenderInfo(renderInfo);
    }

    protected override void OnSetToken(EditorBridgeToken? newToken)
    {
        // Repeat (Ctrl+F) hands over the last token without the dialog: its result belongs to
        // another moment, so it is not pasted again; the picture stays as it is.
        var outcome = fromDialog ? newToken?.Outcome : null;
        renderer = ResultRenderer.For(outcome, PaintDotNetDocument.Of(Environment.Document.Size, Environment.Selection, () => Environment.GetSourceBitmapBgra32()));
        base.OnSetToken(newToken);
    }

    protected override unsafe void OnRender(IBitmapEffectOutput output)
    {
        var bounds = output.Bounds;
        var tile = new PixelRect(bounds.X, bounds.Y, bounds.Width, bounds.Height);
        if (tile.IsEmpty)
            return;
        source ??= Environment.GetSourceBitmapBgra32();
        using IBitmapLock<ColorBgra32> from = source.Lock(bounds);
        using IBitmapLock<ColorBgra32> to = output.LockBgra32();
        int rowBytes = tile.Width * 4;
        var sourceBytes = new ReadOnlySpan<byte>((void*)from.Buffer, from.BufferStride * (tile.Height - 1) + rowBytes);
        var targetBytes = new Span<byte>((void*)to.Buffer, to.BufferStride * (tile.Height - 1) + rowBytes);
        renderer.RenderTile(tile, sourceBytes, from.BufferStride, targetBytes, to.BufferStride, CancellationToken);
    }

    protected override void OnDispose(bool disposing)
    {
        if (disposing)
        {
            source?.Dispose();
            source = null;
        }

        base.OnDispose(disposing);
    }
}

public sealed class FillEffect() : EditorBridgeEffect(PluginOperation.Fill);

public sealed class ColorizeEffect() : EditorBridgeEffect(PluginOperation.Colorize);

public sealed class RestoreEffect() : EditorBridgeEffect(PluginOperation.Restore);

public sealed class StylizeEffect() : EditorBridgeEffect(PluginOperation.Stylize);

public sealed class GenerateEffect() : EditorBridgeEffect(PluginOperation.Generate);

public sealed class ComposeEffect() : EditorBridgeEffect(PluginOperation.Compose);
