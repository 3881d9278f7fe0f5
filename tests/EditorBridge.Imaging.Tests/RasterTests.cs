using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

public sealed class RasterTests
{
    [Fact]
    public void Eight_bit_values_survive_a_trip_through_sixteen_bits()
    {
        var wide = new byte[256 * 8];
        for (int v = 0; v < 256; v++)
        {
            for (int c = 0; c < 4; c++)
            {
                ushort w = (ushort)(v * 257);
                wide[v * 8 + c * 2] = (byte)w;
                wide[v * 8 + c * 2 + 1] = (byte)(w >> 8);
            }
        }

        var narrow = new Raster(new PixelRect(0, 0, 256, 1), PixelFormat.Rgba16, wide).ToRgba8();
        for (int v = 0; v < 256; v++)
            Assert.Equal((byte)v, narrow[v * 4]);
    }

    [Fact]
    public void Crop_copies_the_right_rows_at_canvas_coordinates()
    {
        var data = Enumerable.Range(0, 4 * 3 * 4).Select(i => (byte)i).ToArray();
        var raster = new Raster(new PixelRect(-2, 5, 4, 3), PixelFormat.Rgba8, data);
        var crop = raster.Crop(new PixelRect(-1, 6, 2, 2));
        Assert.Equal(new byte[] { 20, 21, 22, 23, 24, 25, 26, 27, 36, 37, 38, 39, 40, 41, 42, 43 }, crop.Data);
    }

    [Fact]
    public void A_byte_count_that_does_not_match_the_size_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Raster(new PixelRect(0, 0, 3, 3), PixelFormat.Rgba16, new byte[36]));
        Assert.Contains("expected 72", e.Message);
    }
}
