using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EditorBridge.PaintDotNet.Core.Tests;

public sealed class ClipboardImageTests
{
    [Fact]
    public void The_clipboard_picture_is_canvas_sized_transparent_outside_and_the_result_inside()
    {
        const int W = 120, H = 90;
        var picture = TestPictures.Load("rocket.jpg").Crop(100, 100, W, H);
        var selection = ModelSelection.FromPolygons(W, H, [ModelSelection.Ellipse(50.5, 40.2, 30, 20)]);
        var document = ModelDocument.FromPicture(picture, selection);
        var input = Captured.Around(document, true, 4, null);
        var result = input.Layer.Crop(input.Mask!.Bounds);
        var outcome = new JobOutcome(W, H, result, input.Mask, "t", "cpu", 0, 0);

        var clip = ClipboardImage.From(outcome);

        using var decoded = Image.Load<Rgba32>(clip.Png); // a real PNG decoder reads it
        Assert.Equal((W, H), (decoded.Width, decoded.Height));
        int partial = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                var p = decoded[x, y];
                int m = selection.At(x, y);
                if (m == 0)
                {
                    Assert.Equal(new Rgba32(0, 0, 0, 0), p);
                    continue;
                }

                var c = document.Layer[x, y];
                Assert.Equal((c.R, c.G, c.B), (p.R, p.G, p.B));
                Assert.Equal((c.A * m + 127) / 255, p.A);
                partial += m < 255 ? 1 : 0;
            }

        Assert.True(partial > 20, "the ellipse has soft edges");
    }

    [Fact]
    public void The_png_writer_round_trips_random_pixels_exactly()
    {
        var random = new Random(3);
        var rgba = new byte[37 * 23 * 4];
        random.NextBytes(rgba);
        var png = PngWriter.Encode(37, 23, (y, row) => rgba.AsSpan(y * 37 * 4, 37 * 4).CopyTo(row));
        using var decoded = Image.Load<Rgba32>(png);
        var back = new byte[rgba.Length];
        decoded.CopyPixelDataTo(back);
        Assert.Equal(rgba, back);
    }
}
