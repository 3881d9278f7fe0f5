using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Testing;

/// <summary>
/// Pictures set aside before the fill was tuned (tests/data/holdout, see the README there):
/// quality is reported on them separately from the tuning pictures of tests/data/photos.
/// </summary>
public static class HeldOutPictures
{
    public const int Side = 256;

    /// <summary>The crops: name, file, top-left corner; each <see cref="Side"/>².</summary>
    public static readonly (string Name, string File, int X, int Y)[] Crops =
    [
        ("stars", "hubble_deep_field.jpg", 372, 308),
        ("engine", "motorcycle_left.png", 242, 122),
        ("shelves", "motorcycle_left.png", 485, 0),
    ];

    public static string Directory { get; } = Path.GetFullPath(Path.Combine(TestPictures.Directory, "..", "holdout"));

    /// <summary>Every crop, in the order of <see cref="Crops"/>.</summary>
    public static RgbaPicture[] LoadAll() => Crops.Select(c => Load(c.File).Crop(c.X, c.Y, Side, Side)).ToArray();

    public static RgbaPicture Load(string fileName)
    {
        using var image = Image.Load<Rgba32>(Path.Combine(Directory, fileName));
        var data = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(data);
        return new RgbaPicture(image.Width, image.Height, data);
    }
}
