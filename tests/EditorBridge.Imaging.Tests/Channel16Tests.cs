using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

/// <summary>
/// The vectorised 8↔16-bit runs give the one-value rules' results for every value, and a 16-bit
/// layer that goes through an engine that leaves it alone comes back with all its bits.
/// </summary>
public sealed class Channel16Tests
{
    // every 16-bit value once, then a ragged tail (not a multiple of the vector width)
    private static byte[] EveryWideValue(int tail = 13)
    {
        var wide = new byte[(65536 + tail) * 2];
        for (int v = 0; v < 65536 + tail; v++)
        {
            wide[2 * v] = (byte)(v % 65536);
            wide[2 * v + 1] = (byte)((v % 65536) >> 8);
        }

        return wide;
    }

    [Fact]
    public void Narrowing_a_run_rounds_every_value_as_one_value_at_a_time()
    {
        var wide = EveryWideValue();
        var narrow = new byte[wide.Length / 2];

        Channel16.Narrow(wide, narrow);

        for (int i = 0; i < narrow.Length; i++)
            Assert.True(Channel16.To8(Channel16.Read(wide, i)) == narrow[i], $"channel {i}: {narrow[i]}, expected {Channel16.To8(Channel16.Read(wide, i))}");
    }

    [Fact]
    public void Widening_a_run_gives_every_value_times_257()
    {
        var narrow = Enumerable.Range(0, 256 * 3 + 5).Select(i => (byte)(i * 7)).ToArray();
        var wide = new byte[narrow.Length * 2];

        Channel16.Widen(narrow, wide);

        for (int i = 0; i < narrow.Length; i++)
            Assert.Equal(narrow[i] * 257, Channel16.Read(wide, i));
    }

    [Fact]
    public void Widening_over_the_original_keeps_its_bits_where_the_answer_is_its_rounding()
    {
        var original = EveryWideValue();
        int count = original.Length / 2;
        var unchanged = new byte[count];
        Channel16.Narrow(original, unchanged);
        var changed = unchanged.Select((b, i) => i % 3 == 0 ? (byte)(b ^ 0x40) : b).ToArray();
        var same = new byte[original.Length];
        var mixed = new byte[original.Length];

        Channel16.WidenOver(unchanged, original, same);
        Channel16.WidenOver(changed, original, mixed);

        Assert.Equal(original, same);
        for (int i = 0; i < count; i++)
            Assert.Equal(i % 3 == 0 ? changed[i] * 257 : Channel16.Read(original, i), Channel16.Read(mixed, i));
    }

    [Fact]
    public void A_whole_layer_engine_that_changes_nothing_gives_back_the_sixteen_bit_layer_bit_exact()
    {
        var data = new byte[64 * 48 * 8];
        new Random(5).NextBytes(data);
        var layer = new Raster(new PixelRect(3, -2, 64, 48), PixelFormat.Rgba16, data);
        var area = SelectionWorkArea.WholeLayer(layer, 4096, 1);

        var result = area.Compose(area.WorkImage());

        Assert.Equal(PixelFormat.Rgba16, result.Format);
        Assert.Equal(layer.Bounds, result.Bounds);
        Assert.Equal(data, result.Data);
    }

    [Fact]
    public void Guard_widening_without_the_original_loses_the_low_bits()
    {
        // what the whole-layer compose did before it kept the original's bits: not the identity
        var data = new byte[64 * 48 * 8];
        new Random(5).NextBytes(data);
        var layer = new Raster(new PixelRect(0, 0, 64, 48), PixelFormat.Rgba16, data);

        var widened = Raster.FromRgba8(layer.Bounds, layer.ToRgba8(), PixelFormat.Rgba16);

        Assert.NotEqual(data, widened.Data);
        Assert.Equal(layer.ToRgba8(), widened.ToRgba8());
    }

    [Fact]
    public void A_selection_replaced_by_the_same_pixels_keeps_its_sixteen_bits()
    {
        var data = new byte[4 * 1 * 8];
        new Random(9).NextBytes(data);
        var original = new Raster(new PixelRect(0, 0, 4, 1), PixelFormat.Rgba16, data);
        var replacement = original.ToRgba8();
        replacement[12] ^= 0x80; // the engine changed the last pixel's red

        var result = FeatheredBlend.Apply(original, replacement, [1f, 1f, 0f, 1f]);

        Assert.Equal(data[..24], result.Data[..24]);
        Assert.Equal(replacement[12] * 257, Channel16.Read(result.Data, 12));
        Assert.Equal(data[26..], result.Data[26..]);
    }
}
