using EditorBridge.Imaging;
using System.Collections.Concurrent;
using EditorBridge.PaintDotNet.Core;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests.Model;

/// <summary>
/// A document as a Paint.NET effect sees it: the active layer (source bitmap) and the selection.
/// Implements the core's <see cref="IHostDocument"/> the way the adapter does over Paint.NET's
/// environment, and notes which threads read it.
/// </summary>
public sealed class ModelDocument(ModelBitmap layer, ModelSelection selection) : IHostDocument
{
    public ModelBitmap Layer { get; } = layer;

    public ModelSelection Selection { get; } = selection;

    public ConcurrentBag<int> ReadThreads { get; } = [];

    public int CanvasWidth => Layer.Width;

    public int CanvasHeight => Layer.Height;

    public PixelRect SelectionBounds => Selection.RenderBounds;

    public void ReadSelection(PixelRect area, Span<byte> coverage)
    {
        ReadThreads.Add(Environment.CurrentManagedThreadId);
        for (int y = 0; y < area.Height; y++)
            Selection.MaskBitmap.AsSpan((area.Y + y) * CanvasWidth + area.X, area.Width).CopyTo(coverage.Slice(y * area.Width, area.Width));
    }

    public void ReadSource(PixelRect area, Span<byte> bgra)
    {
        ReadThreads.Add(Environment.CurrentManagedThreadId);
        var region = Layer.Region(area.X, area.Y, area.Width, area.Height);
        for (int y = 0; y < area.Height; y++)
            region.Slice(y * Layer.Stride, area.Width * 4).CopyTo(bgra.Slice(y * area.Width * 4, area.Width * 4));
    }

    public static ModelDocument FromPicture(RgbaPicture picture, ModelSelection selection) =>
        new(ModelBitmap.FromRgba(picture.Width, picture.Height, picture.Rgba), selection);
}
