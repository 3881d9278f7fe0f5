using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core.Tests.Model;

namespace EditorBridge.PaintDotNet.Core.Tests;

public sealed class SelectionRasterizerTests
{
    private static readonly PixelRect Canvas = new(0, 0, 200, 150);

    [Fact]
    public void A_pixel_aligned_rectangle_is_fully_selected_inside_and_not_at_all_outside()
    {
        var mask = SelectionRasterizer.Rasterize([ModelSelection.Rectangle(10, 20, 30, 5)], FillRule.NonZero, Canvas)!;
        Assert.Equal(new PixelRect(10, 20, 30, 5), mask.Bounds);
        Assert.All(mask.Coverage, c => Assert.Equal(255, c));
        Assert.Equal(mask.Bounds, mask.SelectedBounds());
    }

    [Fact]
    public void Fractional_edges_give_coverage_in_proportion_to_the_area_covered()
    {
        // x from 2.25 to 5.75 (exact along x); y from 1.5 to 3 (half of row 1)
        var mask = SelectionRasterizer.Rasterize([ModelSelection.Rectangle(2.25, 1.5, 3.5, 1.5)], FillRule.NonZero, Canvas)!;
        Assert.Equal(new PixelRect(2, 1, 4, 2), mask.Bounds);
        Assert.Equal(new byte[] { 96, 128, 128, 96, 191, 255, 255, 191 }, mask.Coverage);
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(12.3)]
    public void A_circle_covers_pi_r_squared(double radius)
    {
        var mask = SelectionRasterizer.Rasterize([ModelSelection.Ellipse(100.4, 70.7, radius, radius, 720)], FillRule.NonZero, Canvas)!;
        double area = mask.Coverage.Sum(c => c / 255.0);
        // a 720-gon has 0.0013% less area than its circle; rounding each pixel to 1/255 adds ±0.2 px per edge pixel
        Assert.InRange(area, Math.PI * radius * radius * 0.995, Math.PI * radius * radius * 1.005);
        Assert.Contains(mask.Coverage, c => c is > 0 and < 255);
    }

    [Fact]
    public void It_agrees_with_point_sampling_of_the_same_outline()
    {
        var outline = new[] { ModelSelection.Ellipse(80.3, 60.6, 50.2, 33.1, 40), [new(20.5, 100.2), new(150.7, 130.9), new(60.1, 140.4)] };
        var model = ModelSelection.FromPolygons(Canvas.Width, Canvas.Height, outline);
        var mask = SelectionRasterizer.Rasterize(outline, FillRule.NonZero, Canvas)!;
        int worst = 0;
        for (int y = 0; y < Canvas.Height; y++)
            for (int x = 0; x < Canvas.Width; x++)
                worst = Math.Max(worst, Math.Abs(mask.At(x, y) - model.At(x, y)));
        // exact area along x against 16 samples a row: at most half a sample (1/32 of a pixel ≈ 8 levels) per edge crossing a pixel
        Assert.InRange(worst, 1, 16);
        Assert.Equal(model.RenderBounds, mask.SelectedBounds());
    }

    [Fact]
    public void Overlapping_outlines_unite_under_non_zero_and_cut_a_hole_under_even_odd()
    {
        var outlines = new[] { ModelSelection.Rectangle(10, 10, 40, 40), ModelSelection.Rectangle(30, 30, 40, 40) };
        var union = SelectionRasterizer.Rasterize(outlines, FillRule.NonZero, Canvas)!;
        var xor = SelectionRasterizer.Rasterize(outlines, FillRule.EvenOdd, Canvas)!;
        Assert.Equal(255, union.At(40, 40));
        Assert.Equal(0, xor.At(40, 40));
        Assert.Equal(255, xor.At(15, 15));
        Assert.Equal(255, xor.At(65, 65));
        Assert.Equal(40 * 40 * 2 - 20 * 20, union.Coverage.Count(c => c == 255));
        Assert.Equal(40 * 40 * 2 - 2 * 20 * 20, xor.Coverage.Count(c => c == 255));
    }

    [Fact]
    public void Outlines_are_clipped_to_the_canvas_and_nothing_outside_gives_nothing()
    {
        var mask = SelectionRasterizer.Rasterize([ModelSelection.Rectangle(-20, -10, 50, 30)], FillRule.NonZero, Canvas)!;
        Assert.Equal(new PixelRect(0, 0, 30, 20), mask.Bounds);
        Assert.Null(SelectionRasterizer.Rasterize([ModelSelection.Rectangle(500, 500, 5, 5)], FillRule.NonZero, Canvas));
        Assert.Null(SelectionRasterizer.Rasterize([[new(1, 1), new(5, 1)]], FillRule.NonZero, Canvas));
    }
}
