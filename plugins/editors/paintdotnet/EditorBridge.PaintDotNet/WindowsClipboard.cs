using System.Drawing;
using System.Windows.Forms;
using EditorBridge.PaintDotNet.Core;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// Puts the result on the Windows clipboard as "PNG" (keeps transparency; Paint.NET pastes it) and,
/// for programs that only read bitmaps, as a bitmap too unless the canvas is very large.
/// </summary>
internal sealed class WindowsClipboard : IClipboardTarget
{
    private const long MaxBitmapPixels = 16L * 1024 * 1024;

    public void SetImage(ClipboardImage image)
    {
        var data = new DataObject();
        data.SetData("PNG", false, new MemoryStream(image.Png));
        Bitmap? bitmap = null;
        if ((long)image.Width * image.Height <= MaxBitmapPixels)
        {
            bitmap = new Bitmap(new MemoryStream(image.Png));
            data.SetImage(bitmap);
        }

        try
        {
            Clipboard.SetDataObject(data, copy: true, retryTimes: 5, retryDelay: 100);
        }
        finally
        {
            bitmap?.Dispose();
        }
    }
}
