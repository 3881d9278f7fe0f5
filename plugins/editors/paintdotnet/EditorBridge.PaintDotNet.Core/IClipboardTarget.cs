namespace EditorBridge.PaintDotNet.Core;

/// <summary>Puts a picture on the system clipboard. Called on the UI thread (Windows' clipboard needs it).</summary>
public interface IClipboardTarget
{
    void SetImage(ClipboardImage image);
}
