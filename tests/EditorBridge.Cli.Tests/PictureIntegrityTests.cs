using EditorBridge.Cli.Images;
using EditorBridge.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Cli.Tests;

/// <summary>Whole pictures pass; every picture cut short, or with a corrupt chunk, is refused before decoding.</summary>
public sealed class PictureIntegrityTests : IDisposable
{
    private readonly TempDirectory temp = new("integrity");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Every_real_test_photo_passes()
    {
        foreach (var name in TestPictures.All)
            PictureIntegrity.Check(TestPictures.PathOf(name));
    }

    public static TheoryData<string> Formats => new() { "png", "jpg", "rocket.jpg", "gif", "bmp", "webp" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_whole_file_passes_and_every_cut_of_it_is_refused(string format)
    {
        var whole = Encode(format);
        var path = temp.File($"p.{format}");
        File.WriteAllBytes(path, whole);
        PictureIntegrity.Check(path);

        // every length from the header on for the first bytes, then spread over the rest, up to one byte short
        var lengths = Enumerable.Range(12, 100).Concat(Enumerable.Range(1, 60).Select(i => (int)((long)whole.Length * i / 61))).Append(whole.Length - 1)
            .Where(n => n >= 12 && n < whole.Length).Distinct();
        foreach (int length in lengths)
        {
            File.WriteAllBytes(path, whole[..length]);
            var e = Assert.Throws<DamagedPictureException>(() => PictureIntegrity.Check(path));
            Assert.Contains("cut short", e.Message);
        }
    }

    [Fact]
    public void A_png_with_a_flipped_bit_names_the_chunk_that_fails_its_checksum()
    {
        var png = Encode("png");
        png[png.Length - 20] ^= 0x01; // inside the last IDAT
        File.WriteAllBytes(temp.File("f.png"), png);

        var e = Assert.Throws<DamagedPictureException>(() => PictureIntegrity.Check(temp.File("f.png")));

        Assert.Matches("chunk IDAT at byte [0-9]+ fails its checksum", e.Message);
    }

    // A real photo's corner in each format (noise would make JPEG's entropy data trivial to cut).
    private static byte[] Encode(string format)
    {
        if (format == "rocket.jpg")
            return File.ReadAllBytes(TestPictures.PathOf(format)); // a camera's JPEG as it came
        var photo = TestPictures.Load("chelsea.png").Crop(100, 50, 96, 64);
        using var image = Image.LoadPixelData<Rgba32>(photo.Rgba, photo.Width, photo.Height);
        IImageEncoder encoder = format switch
        {
            "png" => new PngEncoder(),
            "jpg" => new JpegEncoder { Quality = 90 },
            "gif" => new GifEncoder(),
            "bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
            _ => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        };
        using var bytes = new MemoryStream();
        image.Save(bytes, encoder);
        return bytes.ToArray();
    }
}
