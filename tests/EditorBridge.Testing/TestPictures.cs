using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Testing;

/// <summary>The real pictures in tests/data/photos (see LICENSE.md there).</summary>
public static class TestPictures
{
    public static readonly string[] All =
    [
        "astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "camera.png", "brick.png", "grass.png", "gravel.png",
        "horse.png", "moon.png", "coins.png", "retina.jpg", "ihc.png", "page.png", "text.png", "clock_motion.png", "cell.png",
    ];

    public static string Directory { get; } = FindDirectory();

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static RgbaPicture Load(string fileName) => LoadFile(PathOf(fileName));

    /// <summary>Any picture file as RGBA8.</summary>
    public static RgbaPicture LoadFile(string path)
    {
        using var image = Image.Load<Rgba32>(path);
        var data = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(data);
        return new RgbaPicture(image.Width, image.Height, data);
    }

    public static void Save(string path, int width, int height, byte[] rgba)
    {
        using var image = Image.LoadPixelData<Rgba32>(rgba, width, height);
        image.SaveAsPng(path);
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "data", "photos");
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException($"tests/data/photos not found above {AppContext.BaseDirectory}");
    }
}
