using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

public sealed class ResultRendererTests
{
    private const int W = 160, H = 120;

    private static (ModelDocument Document, JobOutcome Outcome) Scene()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(20, 20, W, H);
        var selection = ModelSelection.FromPolygons(W, H, [ModelSelection.Ellipse(70.3, 60.8, 35, 25)]);
        var document = ModelDocument.FromPicture(picture, selection);
        var input = Captured.Around(document, true, 8, null);
        // a "result" that differs from the source everywhere in its box: inverted colours
        var mask = input.Mask!;
        var result = input.Layer.Crop(mask.Bounds);
        for (int i = 0; i < result.Pixels.Length; i += 4)
            (result.Pixels[i], result.Pixels[i + 1], result.Pixels[i + 2]) = ((byte)~result.Pixels[i], (byte)~result.Pixels[i + 1], (byte)~result.Pixels[i + 2]);
        return (document, new JobOutcome(W, H, result, mask, "test", "cpu", 1, 1));
    }

    [Fact]
    public void Tiles_in_any_order_on_many_threads_rendered_twice_give_the_result_inside_and_the_source_outside()
    {
        var (document, outcome) = Scene();
        var (applied, tiles) = ModelEffectHost.Apply(document, new ResultRenderer(outcome), tileSize: 23, seed: 7);
        Assert.True(tiles > 20);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int m = document.Selection.At(x, y);
                var (s, r) = (document.Layer[x, y], applied[x, y]);
                if (m == 0)
                    Assert.Equal(s, r);
                else if (m == 255)
                    Assert.Equal(outcome.Result.Row(y, x, 1).ToArray(), new[] { r.B, r.G, r.R, r.A });
            }
    }

    [Fact]
    public void Every_pixel_of_a_tile_is_written_whatever_the_strides()
    {
        var (document, outcome) = Scene();
        var renderer = new ResultRenderer(outcome);
        var tile = new PixelRect(30, 25, 50, 40); // straddles the selection's edge
        var source = document.Layer.Region(tile.X, tile.Y, tile.Width, tile.Height);
        const int Stride = 50 * 4 + 20;
        var buffer = Enumerable.Repeat((byte)0xEE, Stride * 40).ToArray();
        renderer.RenderTile(tile, source, document.Layer.Stride, buffer, Stride);
        for (int y = 0; y < tile.Height; y++)
        {
            for (int x = 0; x < tile.Width; x++)
            {
                var expected = document.Selection.At(tile.X + x, tile.Y + y) == 0
                    ? source.Slice(y * document.Layer.Stride + x * 4, 4).ToArray()
                    : outcome.Result.Row(tile.Y + y, tile.X + x, 1).ToArray();
                Assert.Equal(expected, buffer.AsSpan(y * Stride + x * 4, 4).ToArray());
            }

            Assert.All(buffer.AsSpan(y * Stride + 200, 20).ToArray(), b => Assert.Equal(0xEE, b)); // stride slack untouched
        }
    }

    [Fact]
    public void Without_a_result_every_tile_is_the_source_bit_for_bit()
    {
        var (document, _) = Scene();
        var (applied, _) = ModelEffectHost.Apply(document, new ResultRenderer(null));
        Assert.Equal(document.Layer.Pixels, applied.Pixels);
    }

    [Fact]
    public void A_cached_result_is_not_pasted_into_another_selection_or_picture()
    {
        var (document, outcome) = Scene();
        Assert.NotNull(ResultRenderer.For(outcome, document).Outcome);

        var moved = new ModelDocument(document.Layer, ModelSelection.FromPolygons(W, H, [ModelSelection.Ellipse(72.3, 60.8, 35, 25)]));
        Assert.Null(ResultRenderer.For(outcome, moved).Outcome);
        var (applied, _) = ModelEffectHost.Apply(moved, ResultRenderer.For(outcome, moved));
        Assert.Equal(document.Layer.Pixels, applied.Pixels);

        var otherCanvas = new ModelDocument(new ModelBitmap(W + 1, H), ModelSelection.FromPolygons(W + 1, H, [ModelSelection.Ellipse(70.3, 60.8, 35, 25)]));
        Assert.Null(ResultRenderer.For(outcome, otherCanvas).Outcome);
    }

    [Fact]
    public void A_cancelled_render_stops_and_leaves_what_it_did_not_reach_as_the_source()
    {
        var (document, outcome) = Scene();
        var tile = outcome.Result.Bounds;
        var buffer = new byte[tile.Width * 4 * tile.Height];
        new ResultRenderer(outcome).RenderTile(tile, document.Layer.Region(tile.X, tile.Y, tile.Width, tile.Height), document.Layer.Stride, buffer, tile.Width * 4, new CancellationToken(canceled: true));
        for (int y = 0; y < tile.Height; y++)
            Assert.Equal(document.Layer.Region(tile.X, tile.Y + y, tile.Width, 1).ToArray(), buffer.AsSpan(y * tile.Width * 4, tile.Width * 4).ToArray());
    }
}
