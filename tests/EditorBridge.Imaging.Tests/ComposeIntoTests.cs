using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

/// <summary>
/// An unscaled whole-layer answer written straight into a place the caller has (the daemon: the
/// result's shared-memory region) holds the bytes <see cref="SelectionWorkArea.Compose"/> gives:
/// a changed 16-bit channel widened, an unchanged one with the layer's own bits, every byte written.
/// </summary>
public sealed class ComposeIntoTests
{
    [Theory]
    [InlineData(PixelFormat.Rgba8)]
    [InlineData(PixelFormat.Rgba16)]
    public void Composing_into_a_target_gives_the_composed_layers_bytes(PixelFormat format)
    {
        var layer = Layer(format, seed: 3);
        var area = SelectionWorkArea.WholeLayer(layer, 4096, 1);
        var answer = area.WorkImage().ToArray();
        for (int i = 0; i < answer.Length; i += 5)
            answer[i] ^= 0x40; // the engine changed every fifth channel
        // Not the original: the region holds the client's layer, so an echo through it would not see a
        // channel left unwritten. Every byte must be written.
        var target = Enumerable.Repeat((byte)0xEE, layer.Data.Length).ToArray();

        Assert.True(area.ComposesWhole);
        area.ComposeInto(answer, target);

        Assert.Equal(area.Compose(answer).Data, target);
        if (format == PixelFormat.Rgba16)
        {
            for (int i = 0; i < answer.Length; i++)
            {
                int expected = i % 5 == 0 ? answer[i] * 257 : Channel16.Read(layer.Data, i);
                Assert.True(expected == Channel16.Read(target, i), $"channel {i}: {Channel16.Read(target, i)}, expected {expected}");
            }
        }
    }

    [Fact]
    public void An_answer_that_changes_nothing_is_written_back_bit_exact()
    {
        var layer = Layer(PixelFormat.Rgba16, seed: 4);
        var area = SelectionWorkArea.WholeLayer(layer, 4096, 1);
        var target = new byte[layer.Data.Length];

        area.ComposeInto(area.WorkImage(), target);

        Assert.Equal(layer.Data, target);
    }

    [Fact]
    public void Guard_an_unchanged_channel_left_unwritten_is_seen()
    {
        // a writer that skipped the channels the engine left alone would pass an echo into the layer's
        // own bytes; over another target it fails, as the tests above check
        var layer = Layer(PixelFormat.Rgba16, seed: 5);
        var answer = layer.ToRgba8();
        var skipped = Enumerable.Repeat((byte)0xEE, layer.Data.Length).ToArray();
        for (int i = 0; i < answer.Length; i++)
        {
            if (Channel16.To8(Channel16.Read(layer.Data, i)) != answer[i])
                Channel16.Write(skipped, i, Channel16.From8(answer[i]));
        }

        Assert.NotEqual(layer.Data, skipped);
    }

    [Fact]
    public void Only_an_unscaled_whole_layer_answer_is_written_in_place_and_the_target_must_fit()
    {
        var layer = Layer(PixelFormat.Rgba16, seed: 6);
        var scaled = SelectionWorkArea.WholeLayer(layer, 32, 1);
        var mask = new SelectionMask(layer.Bounds, Enumerable.Repeat((byte)255, (int)layer.Bounds.Area).ToArray());
        var selected = SelectionWorkArea.Plan(layer, mask, GeometrySettings.Default, 4096, 1);
        var whole = SelectionWorkArea.WholeLayer(layer, 4096, 1);

        Assert.False(scaled.ComposesWhole);
        Assert.False(selected.ComposesWhole);
        Assert.Throws<InvalidOperationException>(() => scaled.ComposeInto(scaled.WorkImage(), new byte[layer.Data.Length]));
        Assert.Throws<InvalidOperationException>(() => selected.ComposeInto(selected.WorkImage(), new byte[layer.Data.Length]));
        Assert.Throws<ArgumentException>(() => whole.ComposeInto(whole.WorkImage(), new byte[layer.Data.Length - 1]));
        Assert.Throws<ArgumentException>(() => whole.ComposeInto(whole.WorkImage()[..^4], new byte[layer.Data.Length]));
    }

    private static Raster Layer(PixelFormat format, int seed)
    {
        var bounds = new PixelRect(-3, 7, 61, 37); // a width that leaves a ragged tail for the vector runs
        var data = new byte[bounds.Area * format.BytesPerPixel()];
        new Random(seed).NextBytes(data);
        return new Raster(bounds, format, data);
    }
}
