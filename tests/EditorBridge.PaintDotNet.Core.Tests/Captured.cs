using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>Captures a document with a fixed margin around its selection (tests that are not about the context rule).</summary>
internal static class Captured
{
    public static JobInput Around(IHostDocument document, bool requiresMask, int margin, Limits? limits)
    {
        var mask = JobInput.ReadSelection(document, requiresMask);
        var canvas = new PixelRect(0, 0, document.CanvasWidth, document.CanvasHeight);
        return JobInput.Capture(document, mask, mask is null ? canvas : mask.Bounds.Inflate(margin), limits);
    }
}
