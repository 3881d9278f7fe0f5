using EditorBridge.Imaging;
using System.Drawing;
using System.Drawing.Imaging;
using System.Windows.Forms;
using EditorBridge.PaintDotNet.Core;
using PixelFormat = System.Drawing.Imaging.PixelFormat;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// The clipboard's picture as an operation's extra input (Compose's object, colour hints, a
/// reference): an effect reads only the active layer, so the painter copies the other picture
/// first. Read once when the dialog opens, on the UI thread (the clipboard needs it); placed at the
/// selection's top-left corner, where Paint.NET pastes.
/// </summary>
internal sealed class WindowsClipboardPicture : IPictureSource
{
    public const string Name = "Clipboard";

    private readonly byte[]? pixels;
    private readonly int width;
    private readonly int height;

    public WindowsClipboardPicture()
    {
        try
        {
            using var bitmap = Read();
            if (bitmap is null)
                return;
            (width, height) = (bitmap.Width, bitmap.Height);
            pixels = new byte[width * height * 4];
            var data = bitmap.LockBits(new Rectangle(0, 0, width, height), ImageLockMode.ReadOnly, PixelFormat.Format32bppArgb);
            try
            {
                for (int y = 0; y < height; y++)
                    System.Runtime.InteropServices.Marshal.Copy(data.Scan0 + y * data.Stride, pixels, y * width * 4, width * 4);
            }
            finally
            {
                bitmap.UnlockBits(data);
            }
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException or InvalidOperationException)
        {
            pixels = null; // another program holds the clipboard, or its picture is unreadable: none on offer
        }
    }

    public IReadOnlyList<string> Names => pixels is null ? [] : [Name];

    public BgraImage? Read(string name, PixelRect selectionBounds) =>
        name == Name && pixels is not null ? new BgraImage(new PixelRect(selectionBounds.X, selectionBounds.Y, width, height), pixels) : null;

    // "PNG" keeps transparency (Paint.NET and browsers put it there); else the plain bitmap
    private static Bitmap? Read()
    {
        if (Clipboard.GetData("PNG") is MemoryStream png)
            return new Bitmap(png);
        return Clipboard.ContainsImage() && Clipboard.GetImage() is Image image ? new Bitmap(image) : null;
    }
}
