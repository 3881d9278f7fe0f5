using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

public sealed class JobInputTests
{
    private static readonly RgbaPicture Picture = TestPictures.Load("coffee.png").Crop(0, 0, 300, 200);

    [Fact]
    public void The_crop_is_the_selection_box_grown_by_the_margin_and_kept_inside_the_canvas()
    {
        var selection = ModelSelection.FromPolygons(300, 200, [ModelSelection.Ellipse(60.5, 50.5, 20, 15)]);
        var document = ModelDocument.FromPicture(Picture, selection);

        var input = Captured.Around(document, requiresMask: true, margin: 50, limits: null);

        Assert.Equal(selection.RenderBounds, input.Mask!.Bounds);
        var expected = PixelRect.FromEdges(0, 0, selection.RenderBounds.Right + 50, selection.RenderBounds.Bottom + 50);
        Assert.Equal(expected, input.Layer.Bounds);
        for (int y = expected.Y; y < expected.Bottom; y += 7)
            for (int x = expected.X; x < expected.Right; x += 5)
            {
                var c = document.Layer[x, y];
                Assert.Equal(new byte[] { c.B, c.G, c.R, c.A }, input.Layer.Row(y, x, 1).ToArray());
                Assert.Equal(selection.At(x, y), input.Mask.At(x, y));
            }
    }

    [Fact]
    public void An_empty_selection_asks_the_painter_to_select_a_region_first()
    {
        var document = ModelDocument.FromPicture(Picture, ModelSelection.Empty(300, 200));
        var e = Assert.Throws<EditorBridgeProblem>(() => Captured.Around(document, requiresMask: false, 10, null));
        Assert.Equal(ProblemKind.SelectRegionFirst, e.Kind);
        Assert.StartsWith("Select a region first", e.Message);
    }

    [Fact]
    public void No_selection_is_the_whole_picture_which_fill_cannot_use_but_restore_can()
    {
        var document = ModelDocument.FromPicture(Picture, ModelSelection.None(300, 200));

        var e = Assert.Throws<EditorBridgeProblem>(() => Captured.Around(document, requiresMask: true, 10, null));
        Assert.Equal(ProblemKind.SelectRegionFirst, e.Kind);
        Assert.Contains("whole picture is selected", e.Message);

        var whole = Captured.Around(document, requiresMask: false, 10, null);
        Assert.Null(whole.Mask);
        Assert.Equal(new PixelRect(0, 0, 300, 200), whole.Layer.Bounds);
    }

    [Fact]
    public void An_area_over_the_daemons_limits_is_refused_before_anything_is_sent()
    {
        var document = ModelDocument.FromPicture(Picture, ModelSelection.FromPolygons(300, 200, [ModelSelection.Rectangle(10, 10, 200, 100)]));
        var e = Assert.Throws<EditorBridgeProblem>(() => Captured.Around(document, true, 0, new Limits { MaxSide = 150, MaxPixels = 1 << 24 }));
        Assert.Equal(ProblemKind.TooLarge, e.Kind);
        Assert.Contains("200x100", e.Message);
        Assert.NotNull(Captured.Around(document, true, 0, new Limits { MaxSide = 200, MaxPixels = 20000 }));
    }
}
