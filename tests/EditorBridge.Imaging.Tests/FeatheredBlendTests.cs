using EditorBridge.Imaging;

namespace EditorBridge.Imaging.Tests;

public sealed class FeatheredBlendTests
{
    [Fact]
    public void Weights_are_zero_outside_ramp_up_inside_and_reach_one_past_the_feather()
    {
        var layer = new PixelRect(0, 0, 40, 1);
        var coverage = new byte[40];
        for (int x = 10; x < 30; x++)
            coverage[x] = 255;
        var weights = FeatheredBlend.Weights(new SelectionMask(layer, coverage), layer, 5, layer);

        Assert.All(weights[..10], w => Assert.Equal(0f, w));
        Assert.All(weights[30..], w => Assert.Equal(0f, w));
        Assert.True(weights[10] > 0 && weights[10] < 0.2f, $"edge weight {weights[10]}");
        for (int x = 11; x <= 15; x++)
            Assert.True(weights[x] >= weights[x - 1], "the ramp rises into the selection");
        Assert.Equal(1f, weights[20]);
    }

    [Fact]
    public void The_layer_border_is_not_a_selection_border()
    {
        var layer = new PixelRect(0, 0, 10, 10);
        var weights = FeatheredBlend.Weights(new SelectionMask(layer, Enumerable.Repeat((byte)255, 100).ToArray()), layer, 4, layer);
        Assert.All(weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Blending_into_transparent_pixels_keeps_the_new_colour_without_dark_fringes()
    {
        var original = new Raster(new PixelRect(0, 0, 1, 1), PixelFormat.Rgba8, [0, 0, 0, 0]);
        var result = FeatheredBlend.Apply(original, [255, 0, 0, 255], [0.5f]);
        Assert.Equal(new byte[] { 255, 0, 0, 128 }, result.Data);
    }

    [Fact]
    public void Sixteen_bit_layers_blend_at_sixteen_bits_and_keep_unselected_bytes()
    {
        var data = new byte[] { 0x34, 0x12, 0x78, 0x56, 0xBC, 0x9A, 0xFF, 0xFF, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0xFF, 0xFF };
        var original = new Raster(new PixelRect(0, 0, 2, 1), PixelFormat.Rgba16, data);
        var result = FeatheredBlend.Apply(original, [0, 0, 0, 0, 255, 255, 255, 255], [0f, 1f]);
        Assert.Equal(data[..8], result.Data[..8]);
        Assert.Equal(Enumerable.Repeat((byte)0xFF, 8).ToArray(), result.Data[8..]);
    }
}
