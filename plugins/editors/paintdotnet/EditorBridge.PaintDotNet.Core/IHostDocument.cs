using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// What the plugin reads from Paint.NET while an effect runs: the active layer's pixels and the
/// selection. The adapter implements it over Paint.NET's effect environment (source bitmap,
/// <c>Selection.RenderBounds</c> and <c>Selection.MaskBitmap</c>); tests over a model of them.
/// Implementations must allow reads from any thread.
/// </summary>
public interface IHostDocument
{
    /// <summary>Canvas size; every layer in Paint.NET has exactly this size.</summary>
    int CanvasWidth { get; }

    int CanvasHeight { get; }

    /// <summary>Bounding box of the selection. With nothing selected, Paint.NET reports the whole canvas.</summary>
    PixelRect SelectionBounds { get; }

    /// <summary>Copies the selection's 8-bit anti-aliased coverage of <paramref name="area"/> (rows of <c>area.Width</c> bytes).</summary>
    void ReadSelection(PixelRect area, Span<byte> coverage);

    /// <summary>Copies the active layer's pixels of <paramref name="area"/> as BGRA, straight alpha (rows of <c>area.Width * 4</c> bytes).</summary>
    void ReadSource(PixelRect area, Span<byte> bgra);
}
