using System.Globalization;
using EditorBridge.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Cli.Images;

/// <summary>Selections for the CLI: a mask picture (white = selected, grey = partly) or a rectangle.</summary>
public static class MaskFile
{
    public static SelectionMask Load(string path, PixelRect picture) => Load(PictureInput.Open(path, "--mask"), picture);

    /// <summary>The selection in a mask picture (opened: its header read, the file checked whole): its size is checked, then its pixels are read.</summary>
    public static SelectionMask Load(PictureInput file, PixelRect picture)
    {
        CheckSize(file, picture);
        using var image = Decode(file.Path);
        var coverage = new byte[picture.Area];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    int luma = (p.R * 77 + p.G * 150 + p.B * 29) >> 8;
                    coverage[y * picture.Width + x] = (byte)(luma * p.A / 255);
                }
            }
        });
        var selection = new SelectionMask(picture, coverage);
        // a mask file is picture-sized; send (and let the daemon grow) only its selected pixels' box
        return selection.SelectedBounds().IsEmpty ? selection : selection.Trimmed();
    }

    /// <summary>A mask picture must have the picture's size (read from its header).</summary>
    public static void CheckSize(PictureInput mask, PixelRect picture)
    {
        if (mask.Width != picture.Width || mask.Height != picture.Height)
            throw new UsageException($"{mask.Path}: mask is {mask.Width}x{mask.Height}, the picture is {picture.Width}x{picture.Height}");
    }

    private static Image<Rgba32> Decode(string path)
    {
        try
        {
            return Image.Load<Rgba32>(path);
        }
        catch (ImageFormatException e)
        {
            throw new DamagedPictureException(path, e.Message);
        }
    }

    /// <summary>Parses "x,y,w,h" into a fully selected rectangle, which must lie inside the picture.</summary>
    public static SelectionMask Rectangle(string spec, PixelRect picture)
    {
        var rect = ParseRectangle(spec, picture);
        return new SelectionMask(rect, Enumerable.Repeat((byte)255, (int)rect.Area).ToArray());
    }

    /// <summary>Parses "x,y,w,h", which must lie inside the picture.</summary>
    public static PixelRect ParseRectangle(string spec, PixelRect picture)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"--rect '{spec}': expected x,y,width,height in pixels, e.g. 100,80,64,48");
        var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var rect = new PixelRect(v[0], v[1], v[2], v[3]);
        if (rect.IsEmpty || !picture.Contains(rect))
            throw new UsageException($"--rect {rect}: must be non-empty and inside the picture {picture}");
        return rect;
    }
}
