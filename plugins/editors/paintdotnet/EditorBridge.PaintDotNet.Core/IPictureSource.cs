using EditorBridge.Imaging;
namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Pictures the painter can give an operation besides the active layer (JobRequest.inputs: colour
/// hints, a reference, the object to compose). A Paint.NET effect reads only the active layer, so
/// the adapter offers what Windows gives it: the clipboard's picture, placed on the canvas at the
/// selection's top-left corner (where Paint.NET pastes). Tests offer model pictures.
/// Implementations must allow reads from any thread.
/// </summary>
public interface IPictureSource
{
    /// <summary>The pictures on offer now, by the name the dialog shows (e.g. "Clipboard").</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The picture, placed on the canvas (its bounds in canvas pixels); null when it is gone (the clipboard changed).</summary>
    BgraImage? Read(string name, PixelRect selectionBounds);
}
