using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core;
using PaintDotNet;
using PaintDotNet.Effects;
using PaintDotNet.Imaging;
using PaintDotNet.Rendering;

namespace EditorBridge.PaintDotNet;

/// <summary>The core's view of the document over Paint.NET's effect environment: the source layer and the selection's mask.</summary>
/// <remarks>
/// Built from the parts both the effect's and the dialog's environments offer (document size,
/// selection, source bitmap), so it serves either.
/// </remarks>
internal sealed unsafe class PaintDotNetDocument(SizeInt32 canvas, IEffectSelectionInfo selection, Func<IEffectInputBitmap<ColorBgra32>> openSource) : IHostDocument
{
    public static PaintDotNetDocument Of(SizeInt32 canvas, IEffectSelectionInfo selection, Func<IEffectInputBitmap<ColorBgra32>> openSource) =>
        new(canvas, selection, openSource);

    public int CanvasWidth => canvas.Width;

    public int CanvasHeight => canvas.Height;

    public PixelRect SelectionBounds
    {
        get
        {
            RectInt32 r = selection.RenderBounds;
            return new PixelRect(r.X, r.Y, r.Width, r.Height);
        }
    }

    public void ReadSelection(PixelRect area, Span<byte> coverage)
    {
        using IBitmapLock<ColorAlpha8> mask = selection.MaskBitmap.Lock(ToRect(area));
        CopyRows((byte*)mask.Buffer, mask.BufferStride, area.Width, area.Height, coverage);
    }

    public void ReadSource(PixelRect area, Span<byte> bgra)
    {
        using IEffectInputBitmap<ColorBgra32> source = openSource();
        using IBitmapLock<ColorBgra32> pixels = source.Lock(ToRect(area));
        CopyRows((byte*)pixels.Buffer, pixels.BufferStride, area.Width * 4, area.Height, bgra);
    }

    internal static RectInt32 ToRect(PixelRect r) => new(r.X, r.Y, r.Width, r.Height);

    private static void CopyRows(byte* from, int stride, int rowBytes, int rows, Span<byte> to)
    {
        for (int y = 0; y < rows; y++)
            new ReadOnlySpan<byte>(from + (long)y * stride, rowBytes).CopyTo(to.Slice(y * rowBytes, rowBytes));
    }
}
