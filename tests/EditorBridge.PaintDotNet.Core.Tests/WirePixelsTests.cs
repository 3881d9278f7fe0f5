using EditorBridge.Imaging;
using PixelFormat = EditorBridge.Protocol.V1.PixelFormat;
using System.Runtime.InteropServices;
using CsCheck;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;

namespace EditorBridge.PaintDotNet.Core.Tests;

public sealed class WirePixelsTests
{
    [Fact]
    public void A_real_photo_goes_to_the_wire_as_its_own_RGBA_bytes_and_comes_back_bit_exact()
    {
        var picture = TestPictures.Load("astronaut.png");
        var layer = ModelBitmap.FromRgba(picture.Width, picture.Height, picture.Rgba);
        var document = new ModelDocument(layer, ModelSelection.None(picture.Width, picture.Height));
        var all = new PixelRect(0, 0, picture.Width, picture.Height);
        var bgra = new byte[all.Area * 4];
        document.ReadSource(all, bgra);

        var wire = WirePixels.ToWire(new BgraImage(all, bgra));

        Assert.Equal(PixelFormat.Rgba8, wire.Format);
        ImageAssert.Identical(picture.Rgba, wire.Data.ToByteArray(), picture.Width);
        var back = WirePixels.FromWire(wire);
        Assert.Equal(all, back.Bounds);
        ImageAssert.Identical(bgra, back.Pixels, picture.Width);
    }

    [Fact]
    public void Paint_dot_nets_pixel_layout_is_blue_green_red_alpha_in_memory()
    {
        // ColorBgra32 is a little-endian 0xAARRGGBB: the model keeps that layout, the core relies on it
        var color = new ModelColor(B: 10, G: 20, R: 30, A: 40);
        var bytes = MemoryMarshal.AsBytes(new[] { color }.AsSpan()).ToArray();
        Assert.Equal(new byte[] { 10, 20, 30, 40 }, bytes);
        Assert.Equal(0x281E140Au, color.Bgra);

        var wire = WirePixels.ToWire(new BgraImage(new PixelRect(5, -3, 1, 1), bytes));
        Assert.Equal(new byte[] { 30, 20, 10, 40 }, wire.Data.ToByteArray());
        Assert.Equal((5, -3), (wire.OffsetX, wire.OffsetY));
    }

    [Fact]
    public void Any_pixels_including_transparent_ones_round_trip_exactly()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[-100, 100], Gen.Int[-100, 100])
            .SelectMany(t => Gen.Byte.Array[t.Item1 * t.Item2 * 4].Select(bytes => (t.Item1, t.Item2, t.Item3, t.Item4, bytes)))
            .Sample(t =>
            {
                var (w, h, x, y, bytes) = t;
                var image = new BgraImage(new PixelRect(x, y, w, h), bytes);
                var wire = WirePixels.ToWire(image);
                var back = WirePixels.FromWire(wire);
                Assert.Equal(image.Bounds, back.Bounds);
                Assert.Equal(bytes, back.Pixels);
                var rgba = wire.Data.Span;
                for (int i = 0; i < bytes.Length; i += 4)
                    Assert.True(rgba[i] == bytes[i + 2] && rgba[i + 1] == bytes[i + 1] && rgba[i + 2] == bytes[i] && rgba[i + 3] == bytes[i + 3]);
            }, iter: 200);
    }

    [Fact]
    public void The_mask_goes_out_as_coverage_bytes_at_its_canvas_position()
    {
        var mask = new SelectionMask(new PixelRect(7, 9, 3, 2), [0, 128, 255, 1, 2, 3]);
        var wire = WirePixels.ToWire(mask);
        Assert.Equal((7, 9, 3, 2), (wire.OffsetX, wire.OffsetY, wire.Width, wire.Height));
        Assert.Equal(mask.Coverage, wire.Coverage.ToByteArray());
    }

    [Theory]
    [InlineData(PixelFormat.Rgba16, 8, "format")]
    [InlineData(PixelFormat.Rgba8, 7, "bytes, expected 8")]
    public void A_result_in_another_format_or_size_is_refused_with_the_reason(PixelFormat format, int bytes, string reason)
    {
        var image = new Image { Width = 2, Height = 1, Format = format, Data = ByteString.CopyFrom(new byte[bytes]) };
        var e = Assert.Throws<InvalidDataException>(() => WirePixels.FromWire(image));
        Assert.Contains(reason, e.Message);
    }
}
