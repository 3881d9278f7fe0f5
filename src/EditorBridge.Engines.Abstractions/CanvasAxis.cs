namespace EditorBridge.Engines;

/// <summary>
/// Marks a number parameter as a canvas coordinate or length (for example a click point). The daemon
/// checks that positions lie on the layer and hands the engine the value in work-image pixels.
/// </summary>
public enum CanvasAxis
{
    None,
    X,
    Y,
    Width,
    Height,
}
