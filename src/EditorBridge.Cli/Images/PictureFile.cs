using EditorBridge.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Cli.Images;

/// <summary>
/// Reads and writes picture files for the CLI (PNG, JPEG, …). Pictures with more than 8 bits per
/// channel become RGBA16 so nothing is lost; everything else RGBA8. Only the CLI decodes files:
/// the daemon only ever sees raw pixels.
/// </summary>
public static class PictureFile
{
    /// <summary>Reads a picture file whole: header, integrity (<see cref="PictureIntegrity"/>), pixels.</summary>
    public static Raster Load(string path) => PictureInput.Open(path).Load();

    /// <summary>Decodes a file whose header said <paramref name="width"/>×<paramref name="height"/> (<see cref="PictureInput.Load"/> checks it first).</summary>
    internal static Raster Decode(string path, int width, int height, bool wide)
    {
        var bounds = new PixelRect(0, 0, width, height);
        if (wide)
        {
            using var image = Image.Load<Rgba64>(path);
            return Copy(image, bounds, PixelFormat.Rgba16);
        }
        else
        {
            using var image = Image.Load<Rgba32>(path);
            return Copy(image, bounds, PixelFormat.Rgba8);
        }
    }

    private static Raster Copy<TPixel>(Image<TPixel> image, PixelRect bounds, PixelFormat format)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        if (image.Width != bounds.Width || image.Height != bounds.Height)
            throw new InvalidImageContentException($"its header says {bounds.Width}x{bounds.Height}, its pixels are {image.Width}x{image.Height}");
        var data = new byte[bounds.Area * format.BytesPerPixel()];
        image.CopyPixelDataTo(data);
        return new Raster(bounds, format, data);
    }

    /// <summary>Writes PNG (<see cref="PngWriter"/>; or another format by extension), 16 bits per channel for RGBA16.</summary>
    public static void Save(string path, Raster raster)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            PngWriter.Write(file, raster);
        }
        else if (raster.Format == PixelFormat.Rgba16)
        {
            using var image = Image.LoadPixelData<Rgba64>(raster.Data, raster.Bounds.Width, raster.Bounds.Height);
            image.Save(path);
        }
        else
        {
            using var image = Image.LoadPixelData<Rgba32>(raster.Data, raster.Bounds.Width, raster.Bounds.Height);
            image.Save(path);
        }
    }

    /// <summary>Copies <paramref name="layer"/> onto <paramref name="canvas"/> at its offset (same pixel format).</summary>
    public static Raster Paste(Raster canvas, Raster layer)
    {
        if (!canvas.Bounds.Contains(layer.Bounds) || canvas.Format != layer.Format)
            throw new InvalidDataException($"result {layer.Bounds} {layer.Format} does not fit the picture {canvas.Bounds} {canvas.Format}");
        var data = (byte[])canvas.Data.Clone();
        int bpp = canvas.Format.BytesPerPixel();
        int rowBytes = layer.Bounds.Width * bpp;
        for (int y = 0; y < layer.Bounds.Height; y++)
        {
            int dst = ((layer.Bounds.Y - canvas.Bounds.Y + y) * canvas.Bounds.Width + layer.Bounds.X - canvas.Bounds.X) * bpp;
            Buffer.BlockCopy(layer.Data, y * rowBytes, data, dst, rowBytes);
        }

        return new Raster(canvas.Bounds, canvas.Format, data);
    }
}
