using SixLabors.ImageSharp;

namespace EditorBridge.Cli.Images;

/// <summary>
/// A picture file named on the command line, read in stages so that a wrong one is refused as
/// early and as cheaply as possible, before the daemon is even started: <see cref="Open"/> reads
/// its header (it exists, it is a picture, its size) and checks its bytes whole without decoding
/// them (<see cref="PictureIntegrity"/>); <see cref="PictureLimits"/> then compares the size with
/// the daemon's limits; only then does <see cref="Load"/> decode the pixels.
/// </summary>
public sealed class PictureInput
{
    private PictureInput(string path, string role, int width, int height, bool wide)
    {
        Path = path;
        Role = role;
        Width = width;
        Height = height;
        Wide = wide;
    }

    public string Path { get; }

    /// <summary>What the file is for, as the messages name it: "picture", "--mask", "--input hints".</summary>
    public string Role { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>More than 8 bits per channel: read as RGBA16.</summary>
    public bool Wide { get; }

    public long Pixels => (long)Width * Height;

    /// <summary>Reads the header and checks the file whole (a cut-short or corrupt file: <see cref="DamagedPictureException"/>); decodes nothing.</summary>
    public static PictureInput Open(string path, string role = "picture")
    {
        if (Directory.Exists(path))
            throw new UsageException($"{(role == "picture" ? "" : $"{role} ")}{path}: is a folder, not a picture");
        if (!File.Exists(path))
            throw new UsageException(role == "picture" ? $"file not found: {path}" : $"{role}: file not found: {path}");
        PictureIntegrity.Check(path);
        IImageInfo? info;
        try
        {
            info = Image.Identify(path);
        }
        catch (UnknownImageFormatException)
        {
            info = null;
        }
        catch (ImageFormatException e)
        {
            throw new DamagedPictureException(path, e.Message);
        }
        catch (EndOfStreamException)
        {
            throw new DamagedPictureException(path, "the file ends inside its header (is it cut short?)");
        }

        if (info is null)
            throw new UsageException($"{path}: not a picture this tool can read (PNG, JPEG, BMP, GIF, TGA, TIFF, WebP, PBM)");
        if (info.Width <= 0 || info.Height <= 0)
            throw new DamagedPictureException(path, $"its header says {info.Width}x{info.Height} pixels");
        return new PictureInput(path, role, info.Width, info.Height, info.PixelType.BitsPerPixel > 32);
    }

    /// <summary>Decodes the pixels (RGBA16 for wide pictures, else RGBA8).</summary>
    public Imaging.Raster Load()
    {
        try
        {
            return PictureFile.Decode(Path, Width, Height, Wide);
        }
        catch (ImageFormatException e)
        {
            throw new DamagedPictureException(Path, e.Message);
        }
        catch (EndOfStreamException)
        {
            throw new DamagedPictureException(Path, "the file ends before the picture does (is it cut short?)");
        }
    }
}
