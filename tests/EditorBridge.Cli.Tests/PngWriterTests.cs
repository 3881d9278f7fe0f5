using System.IO.Compression;
using EditorBridge.Cli.Images;
using EditorBridge.Imaging;
using EditorBridge.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.Cli.Tests;

/// <summary>
/// The CLI's own PNG writer is lossless: what ImageSharp (an independent decoder) reads back is
/// every byte of the raster, for photos and noise, 8 and 16 bits, odd sizes; the file passes the
/// CLI's own integrity check. Guard: a raster changed by one byte does not compare equal.
/// </summary>
public sealed class PngWriterTests : IDisposable
{
    private readonly TempDirectory temp = new("png");

    public void Dispose() => temp.Dispose();

    public static TheoryData<string, int, int, bool> Pictures => new()
    {
        { "astronaut.png", 0, 0, false },
        { "astronaut.png", 0, 0, true },
        { "coins.png", 0, 0, false },
        { "noise", 1, 1, false },
        { "noise", 13, 7, false },
        { "noise", 31, 3, true },
        { "gradient", 257, 9, true },
    };

    [Theory]
    [MemberData(nameof(Pictures))]
    public void What_it_writes_decodes_to_the_same_bytes(string source, int width, int height, bool wide)
    {
        var raster = Make(source, width, height, wide);
        var path = temp.File($"{source}-{width}x{height}-{wide}.png");

        PictureFile.Save(path, raster);

        PictureIntegrity.Check(path);
        Assert.Equal(raster.Data, Decode(path, wide));
        var back = PictureFile.Load(path);
        Assert.Equal(raster.Format, back.Format);
        Assert.Equal(raster.Bounds, back.Bounds);
        Assert.Equal(raster.Data, back.Data);
    }

    [Fact]
    public void Every_filter_and_compression_is_lossless()
    {
        // a photo uses several filters across its rows, noise none, gradients the others
        var used = new HashSet<byte>();
        foreach (var raster in new[] { Make("astronaut.png", 0, 0, false), Make("noise", 40, 8, false), Make("gradient", 64, 64, false), Make("gradient", 64, 64, true) })
        {
            var levels = new[]
            {
                PngWriter.DefaultCompression,
                new ZLibCompressionOptions { CompressionLevel = 1, CompressionStrategy = ZLibCompressionStrategy.Default },
                new ZLibCompressionOptions { CompressionLevel = 0 },
            };
            foreach (var level in levels)
            {
                using var stream = new MemoryStream();
                PngWriter.Write(stream, raster, level);
                var path = temp.File($"level-{level.CompressionLevel}-{level.CompressionStrategy}.png");
                File.WriteAllBytes(path, stream.ToArray());
                Assert.Equal(raster.Data, Decode(path, raster.Format == PixelFormat.Rgba16));
                used.UnionWith(RowFilters(stream.ToArray(), raster));
            }
        }

        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, used.Order().ToArray());
    }

    /// <summary>The filter type byte of every row, read from the IDAT data.</summary>
    private static IEnumerable<byte> RowFilters(byte[] png, Raster raster)
    {
        using var idat = new MemoryStream();
        for (int at = 8; at < png.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == "IDAT")
                idat.Write(png, at + 8, length);
            at += 12 + length;
        }

        idat.Position = 0;
        using var rows = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(rows);
        int rowBytes = 1 + raster.Stride;
        Assert.Equal(raster.Bounds.Height * rowBytes, rows.Length);
        var bytes = rows.ToArray();
        for (int y = 0; y < raster.Bounds.Height; y++)
            yield return bytes[y * rowBytes];
    }

    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("text.png")]
    [InlineData("coins.png")]
    public void Pictures_compress_about_as_well_as_imagesharp_does(string name)
    {
        var raster = Make(name, 0, 0, false);
        PictureFile.Save(temp.File("ours.png"), raster);
        using (var image = Image.LoadPixelData<Rgba32>(raster.Data, raster.Bounds.Width, raster.Bounds.Height))
            image.Save(temp.File("imagesharp.png"), new PngEncoder());

        double ratio = new FileInfo(temp.File("ours.png")).Length / (double)new FileInfo(temp.File("imagesharp.png")).Length;

        Assert.InRange(ratio, 0.5, 1.1);
    }

    [Fact]
    public void Guard_a_changed_byte_is_seen()
    {
        var raster = Make("noise", 5, 5, false);
        PictureFile.Save(temp.File("g.png"), raster);
        var changed = (byte[])raster.Data.Clone();
        changed[17] ^= 1;

        Assert.NotEqual(changed, Decode(temp.File("g.png"), false));
    }

    private static byte[] Decode(string path, bool wide)
    {
        if (!wide)
        {
            using var image = Image.Load<Rgba32>(path);
            var bytes = new byte[image.Width * image.Height * 4];
            image.CopyPixelDataTo(bytes);
            return bytes;
        }

        using var wideImage = Image.Load<Rgba64>(path);
        var wideBytes = new byte[wideImage.Width * wideImage.Height * 8];
        wideImage.CopyPixelDataTo(wideBytes);
        return wideBytes;
    }

    private static Raster Make(string source, int width, int height, bool wide)
    {
        if (source == "noise")
        {
            var data = new byte[width * height * (wide ? 8 : 4)];
            new Random(width * 31 + height).NextBytes(data);
            return new Raster(new PixelRect(0, 0, width, height), wide ? PixelFormat.Rgba16 : PixelFormat.Rgba8, data);
        }

        if (source == "gradient")
        {
            var rgba = new byte[width * height * 4];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < 4; c++)
                        rgba[(y * width + x) * 4 + c] = (byte)(x * (c + 1) + y * 3);
            var bounds = new PixelRect(0, 0, width, height);
            var raster = Raster.FromRgba8(bounds, rgba, wide ? PixelFormat.Rgba16 : PixelFormat.Rgba8);
            if (wide)
                raster.Data[3] ^= 0x5A; // a low byte that is not v × 257: 16 bits really are kept
            return raster;
        }

        var photo = TestPictures.Load(source);
        return Raster.FromRgba8(new PixelRect(0, 0, photo.Width, photo.Height), photo.Rgba, wide ? PixelFormat.Rgba16 : PixelFormat.Rgba8);
    }
}
