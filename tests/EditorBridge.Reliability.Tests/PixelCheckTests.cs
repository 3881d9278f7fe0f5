using EditorBridge.Protocol.V1;
using EditorBridge.Stress;
using Google.Protobuf;

namespace EditorBridge.Reliability.Tests;

/// <summary>Guard tests for the pixel check every result goes through: it must catch a broken result and pass a right one.</summary>
public sealed class PixelCheckTests
{
    // a 40x30 layer at (100, 50); an 8x6 selection at canvas (116, 62); grown by 4 the result is the 16x14 box at (112, 58)
    private static readonly Image Sent = Pictures.Layer(40, 30, seed: 1, offsetX: 100, offsetY: 50);
    private static readonly Mask Selection = Pictures.Rectangle(116, 62, 8, 6);

    private static (Image Result, byte[] Pixels) Result()
    {
        var pixels = new byte[16 * 14 * 4];
        var sent = Sent.Data.ToByteArray();
        for (int y = 0; y < 14; y++)
            Array.Copy(sent, ((8 + y) * 40 + 12) * 4, pixels, y * 16 * 4, 16 * 4);
        return (new Image { Width = 16, Height = 14, OffsetX = 112, OffsetY = 58, Format = PixelFormat.Rgba8 }, pixels);
    }

    private static string? Check(byte[] pixels, Image result, int grow = 4) =>
        PixelCheck.OutsideSelection(Sent, Sent.Data.ToByteArray(), Selection, Selection.Coverage.ToByteArray(), grow, result, pixels, out _);

    [Fact]
    public void An_untouched_result_passes_and_its_corners_are_compared()
    {
        var (result, pixels) = Result();
        PixelCheck.OutsideSelection(Sent, Sent.Data.ToByteArray(), Selection, Selection.Coverage.ToByteArray(), 4, result, pixels, out int compared);
        Assert.Null(Check(pixels, result));
        // the box's corners are farther than 4 px (Euclidean) from the selection: 4 corners x 3 pixels each at least
        Assert.True(compared >= 12, $"only {compared} pixels compared");
    }

    [Fact]
    public void A_changed_corner_outside_the_grown_selection_is_caught()
    {
        var (result, pixels) = Result();
        pixels[0] ^= 1; // (112, 58): 4 px left and 4 px above the selection, 5.7 px away
        Assert.Equal("pixel (112,58) outside the selection changed", Check(pixels, result));
    }

    [Fact]
    public void A_changed_pixel_within_the_grow_distance_is_allowed()
    {
        var (result, pixels) = Result();
        pixels[(4 * 16 + 0) * 4] ^= 1; // (112, 62): 4 px left of the selection, inside the grown area
        Assert.Null(Check(pixels, result));
    }

    [Fact]
    public void A_result_reaching_outside_the_layer_or_in_another_format_is_caught()
    {
        var (result, pixels) = Result();
        Assert.Contains("reach outside the layer", Check(pixels, result.Clone().Also(r => r.OffsetX = 90)));
        Assert.Contains("result format", Check(pixels, result.Clone().Also(r => r.Format = PixelFormat.Rgba16)));
    }
}

internal static class CloneExtensions
{
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
