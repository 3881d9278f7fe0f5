using System.Collections.Concurrent;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>Stands in for the Windows clipboard: keeps what was put on it and on which thread.</summary>
public sealed class RecordingClipboard : IClipboardTarget
{
    public ConcurrentQueue<(ClipboardImage Image, int Thread)> Images { get; } = new();

    public void SetImage(ClipboardImage image) => Images.Enqueue((image, Environment.CurrentManagedThreadId));
}
