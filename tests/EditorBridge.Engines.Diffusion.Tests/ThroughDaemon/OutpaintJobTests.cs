using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using static EditorBridge.Engines.Diffusion.Tests.ThroughDaemon.WireJobs;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>
/// Outpainting with the diffusion engine (GeometryOptions.outpaint): the layer grows by exactly the
/// selection past its edge and the new area comes back painted and opaque, for the 9-channel
/// inpainting UNet and for latent blending with a plain one. The tiny models' colours mean nothing;
/// the starting colours the new area gets before encoding (<see cref="TransparentFill"/>) are checked
/// on their own below.
/// </summary>
public sealed class OutpaintJobTests(DiffusionDaemon fixture) : IClassFixture<DiffusionDaemon>
{
    [Theory]
    [InlineData(TinyModelStore.Inpainting)]
    [InlineData(TinyModelStore.Plain)]
    public async Task A_band_past_the_right_edge_grows_the_layer_and_is_painted_opaque(string model)
    {
        var picture = Picture();
        var request = Job("fill", picture);
        request.Model = model;
        request.Mask = WireRequests.Rectangle(96, 16, 32, 48);
        request.Geometry = new GeometryOptions { Outpaint = true, GrowPixels = 0, FeatherPixels = 0 };

        var result = await fixture.Daemon.Client.RunJobAsync(request);

        var layer = result.Layer;
        Assert.Equal((96, 16, 32, 48), (layer.OffsetX, layer.OffsetY, layer.Width, layer.Height));
        var pixels = new RgbaPicture(32, 48, layer.Data.ToByteArray());
        Assert.Equal(0, OutpaintCheck.NotOpaque(pixels, 0, 0, 32, 48));
        Assert.True(pixels.Rgba.Distinct().Count() > 16, "the new area is flat: nothing was painted");
        Assert.True(result.Provenance.Geometry.Outpaint);
        Assert.Equal(model, result.Provenance.Model);
    }

    [Fact]
    public void New_canvas_starts_from_the_border_colours_row_by_row()
    {
        // left half: a colour per row; right half: transparent new canvas, all of it hole
        const int W = 64, H = 48;
        var rgba = new byte[W * H * 4];
        var hole = new byte[W * H];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int p = y * W + x;
                if (x < W / 2)
                    (rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2], rgba[p * 4 + 3]) = ((byte)(y * 5), 100, (byte)(250 - y * 5), 255);
                else
                    hole[p] = 255;
            }

        var filled = TransparentFill.Apply(new EngineImage(W, H, rgba), hole).Pixels;

        double worst = 0;
        for (int y = 0; y < H; y++)
            for (int x = W / 2; x < W / 2 + 8; x++)
                for (int c = 0; c < 3; c++)
                    worst = Math.Max(worst, Math.Abs(filled[(y * W + x) * 4 + c] - rgba[(y * W + W / 2 - 1) * 4 + c]));
        // each new pixel takes its nearest coloured pixel: the same row's border pixel, exactly
        Assert.True(worst == 0, $"new pixels next to the border differ from it by up to {worst} levels");
        Assert.Equal(rgba.Where((_, i) => i % (W * 4) < W * 2).ToArray(), filled.Where((_, i) => i % (W * 4) < W * 2).ToArray());
        Assert.All(Enumerable.Range(0, W * H).Where(p => hole[p] != 0), p => Assert.Equal(0, filled[p * 4 + 3]));
        // guard: without colour anywhere there is nothing to spread, and the image comes back as it was
        var empty = new EngineImage(W, H, new byte[W * H * 4]);
        Assert.Same(empty, TransparentFill.Apply(empty, hole));
    }
}
