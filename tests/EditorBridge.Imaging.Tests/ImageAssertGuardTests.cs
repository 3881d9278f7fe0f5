using EditorBridge.Testing;
using Xunit.Sdk;

namespace EditorBridge.Imaging.Tests;

/// <summary>Proves the image comparison used by every golden test can fail.</summary>
public sealed class ImageAssertGuardTests
{
    [Fact]
    public void A_deliberately_broken_picture_fails_the_comparison()
    {
        var picture = TestPictures.Load("coffee.png");
        var broken = (byte[])picture.Rgba.Clone();
        // shift the picture 3 pixels right: what a misplaced result looks like
        Buffer.BlockCopy(picture.Rgba, 0, broken, 12, broken.Length - 12);

        var same = ImageAssert.Compare(picture.Width, picture.Height, picture.Rgba, (byte[])picture.Rgba.Clone());
        Assert.True(double.IsPositiveInfinity(same.Psnr));
        Assert.Equal(1.0, same.Ssim, 6);
        var e = Assert.Throws<XunitException>(() => ImageAssert.Close(picture.Width, picture.Height, picture.Rgba, broken, minPsnr: 30, minSsim: 0.95));
        Assert.Contains("PSNR", e.Message);
        Assert.Throws<XunitException>(() => ImageAssert.Identical(picture.Rgba, broken, picture.Width));
    }
}
