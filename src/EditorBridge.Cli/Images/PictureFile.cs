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
    public static Raster Load(string path)
    {
        var info = Image.Identify(path) ?? throw new UsageException($"{path}: not a picture this tool can read");
        bool wide = info.PixelType.BitsPerPixel > 32;
        var bounds = new PixelRect(0, 0, info.Width, info.Height);
        if (wide)
        {
            using var image = Image.Load<Rgba64>(path);
            var data = new byte[bounds.Area * 8];
            image.CopyPixelDataTo(data);
            return new Raster(bounds, PixelFormat.Rgba16, data);
        }
        else
        {
            using var image = Image.Load<Rgba32>(path);
            var data = new byte[bounds.Area * 4];
            image.CopyPixelDataTo(data);
            return new Raster(bounds, PixelFormat.Rgba8, data);
        }
    }

    /// <summary>Writes PNG (or another format by extension), 16 bits per channel for RGBA16.</summary>
    public static void Save(string path, Raster raster)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        if (raster.Format == PixelFormat.Rgba16)
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
