using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.Imaging.Tests;

/// <summary>
/// <see cref="QualityMetrics"/> against an independent implementation: scikit-image 0.19.3
/// (Debian 12's python3-skimage) on the same crops of the test photos, produced by
/// <c>tests/EditorBridge.Imaging.Tests/skimage_reference.py</c> with
/// <c>/usr/bin/python3 tests/EditorBridge.Imaging.Tests/skimage_reference.py</c>:
/// <code>
/// astronaut shift1: PSNR 27.661456 SSIM 0.861082
/// camera shift2: PSNR 16.673105 SSIM 0.466085
/// coffee gamma: PSNR 15.568516 SSIM 0.641829
/// coffee gamma disc: PSNR 14.977197 SSIM 0.732079
/// chelsea vs half-step: PSNR 51.115124 SSIM 0.999051
/// </code>
/// </summary>
public sealed class QualityMetricsTests
{
    public static TheoryData<string, double, double> References => new()
    {
        { "astronaut shift1", 27.661456, 0.861082 },
        { "camera shift2", 16.673105, 0.466085 },
        { "coffee gamma", 15.568516, 0.641829 },
        { "coffee gamma disc", 14.977197, 0.732079 },
        { "chelsea vs half-step", 51.115124, 0.999051 },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Psnr_and_ssim_match_scikit_image(string name, double psnr, double ssim)
    {
        var (a, b, mask) = Pair(name);

        // The reference values are printed to 6 decimals (±5e-7); both sides compute in double precision.
        // A different window, border rule or channel handling moves SSIM in the third decimal or earlier.
        Assert.InRange(QualityMetrics.Psnr(a.Rgba, b.Rgba, mask), psnr - 1e-6, psnr + 1e-6);
        Assert.InRange(QualityMetrics.Ssim(a.Width, a.Height, a.Rgba, b.Rgba, mask), ssim - 1e-6, ssim + 1e-6);
    }

    [Fact]
    public void Guard_other_ssim_variants_miss_the_reference_values()
    {
        var (a, b, _) = Pair("astronaut shift1");

        // SSIM of the BT.601 luma alone (what the test fixtures once measured) is a different measure
        double luma = QualityMetrics.Ssim(a.Width, a.Height, Luma(a.Rgba), Luma(b.Rgba));

        Assert.True(Math.Abs(luma - 0.861082) > 1e-3, $"luma SSIM {luma:F6} is too close to scikit-image's RGB SSIM to prove the comparison sharp");
    }

    [Fact]
    public void Equal_pictures_score_infinity_and_one()
    {
        var a = TestPictures.Load("coins.png").Crop(0, 0, 40, 30);
        Assert.Equal(double.PositiveInfinity, QualityMetrics.Psnr(a.Rgba, a.Rgba));
        Assert.Equal(1.0, QualityMetrics.Ssim(40, 30, a.Rgba, a.Rgba), 12);
    }

    [Fact]
    public void Mismatched_sizes_empty_masks_and_tiny_pictures_are_refused()
    {
        var a = new byte[16 * 16 * 4];
        Assert.Throws<ArgumentException>(() => QualityMetrics.Psnr(a, new byte[15 * 16 * 4]));
        Assert.Contains("selects no pixel", Assert.Throws<ArgumentException>(() => QualityMetrics.Ssim(16, 16, a, a, new byte[256])).Message);
        Assert.Contains("too small", Assert.Throws<ArgumentException>(() => QualityMetrics.Ssim(2, 2, new byte[16], new byte[16])).Message);
    }

    // The same crops and changes as skimage_reference.py.
    private static (RgbaPicture A, RgbaPicture B, byte[]? Mask) Pair(string name)
    {
        switch (name)
        {
            case "astronaut shift1":
            {
                var p = TestPictures.Load("astronaut.png");
                return (p.Crop(0, 0, 128, 128), p.Crop(1, 1, 128, 128), null);
            }

            case "camera shift2":
            {
                var p = TestPictures.Load("camera.png");
                return (p.Crop(200, 200, 128, 128), p.Crop(202, 202, 128, 128), null);
            }

            case "coffee gamma":
            case "coffee gamma disc":
            {
                var k = TestPictures.Load("coffee.png").Crop(200, 100, 128, 128);
                var g = k.Rgba.Select((v, i) => i % 4 == 3 ? v : (byte)(v * v / 255)).ToArray();
                byte[]? mask = null;
                if (name.EndsWith("disc"))
                {
                    mask = new byte[128 * 128];
                    for (int y = 0; y < 128; y++)
                        for (int x = 0; x < 128; x++)
                            mask[y * 128 + x] = (x - 64) * (x - 64) + (y - 60) * (y - 60) <= 900 ? (byte)1 : (byte)0;
                }

                return (k, k with { Rgba = g }, mask);
            }

            default:
            {
                var c = TestPictures.Load("chelsea.png").Crop(100, 50, 150, 100);
                return (c, c with { Rgba = c.Rgba.Select((v, i) => i % 4 == 3 ? v : (byte)(v / 2 * 2)).ToArray() }, null);
            }
        }
    }

    /// <summary>The picture as grey RGBA8 of its BT.601 luma.</summary>
    private static byte[] Luma(byte[] rgba)
    {
        var grey = new byte[rgba.Length];
        for (int p = 0; p < rgba.Length; p += 4)
        {
            byte y = (byte)Math.Round(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
            grey[p] = grey[p + 1] = grey[p + 2] = y;
            grey[p + 3] = 255;
        }

        return grey;
    }
}
