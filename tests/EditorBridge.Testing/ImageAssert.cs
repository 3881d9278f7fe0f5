using EditorBridge.Imaging;
using Xunit;
using Xunit.Sdk;

namespace EditorBridge.Testing;

/// <summary>
/// Compares pictures and reports PSNR, SSIM (both <see cref="QualityMetrics"/>, as scikit-image
/// measures them) and the largest channel difference with its place, so a failing image test says
/// how far off it is and where. Each caller states its tolerance and why.
/// </summary>
public static class ImageAssert
{
    /// <summary>How two RGBA8 pictures differ: the largest |Δ| over RGBA, first met at (<paramref name="X"/>, <paramref name="Y"/>) in channel <paramref name="Channel"/>.</summary>
    public sealed record Comparison(double Psnr, double Ssim, int MaxDifference, int X, int Y, int Channel, long DifferingPixels)
    {
        public override string ToString() =>
            $"PSNR {Psnr:0.00} dB, SSIM {Ssim:0.0000}, max |Δ| {MaxDifference}" +
            (MaxDifference > 0 ? $" at ({X},{Y}) channel {"RGBA"[Channel]}, {DifferingPixels} pixels differ" : "");
    }

    public static Comparison Compare(int width, int height, byte[] expected, byte[] actual, byte[]? mask = null)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"pictures differ in size: {expected.Length} vs {actual.Length} bytes");
        int max = 0, at = 0;
        long differing = 0;
        for (int p = 0; p < expected.Length / 4; p++)
        {
            if (mask is not null && mask[p] == 0)
                continue;
            bool differs = false;
            for (int c = 0; c < 4; c++)
            {
                int d = Math.Abs(expected[p * 4 + c] - actual[p * 4 + c]);
                differs |= d != 0;
                if (d > max)
                    (max, at) = (d, p * 4 + c);
            }

            if (differs)
                differing++;
        }

        // QualityMetrics' whole-picture SSIM leaves out a 5-pixel border (as scikit-image); a picture
        // too small for that is measured over every pixel instead
        var ssimMask = mask ?? (width <= 2 * QualityMetrics.Radius || height <= 2 * QualityMetrics.Radius ? Enumerable.Repeat((byte)1, width * height).ToArray() : null);
        int pixel = at / 4;
        return new Comparison(QualityMetrics.Psnr(expected, actual, mask), QualityMetrics.Ssim(width, height, expected, actual, ssimMask),
            max, pixel % width, pixel / width, at % 4, differing);
    }

    /// <summary>Fails unless PSNR ≥ <paramref name="minPsnr"/> dB and SSIM ≥ <paramref name="minSsim"/>.</summary>
    public static Comparison Close(int width, int height, byte[] expected, byte[] actual, double minPsnr, double minSsim, byte[]? mask = null)
    {
        var c = Compare(width, height, expected, actual, mask);
        if (c.Psnr < minPsnr || c.Ssim < minSsim)
            throw new XunitException($"pictures differ too much: {c} (needed PSNR ≥ {minPsnr} dB, SSIM ≥ {minSsim})");
        return c;
    }

    /// <summary>Fails unless every byte is equal; names the first differing pixel.</summary>
    public static void Identical(byte[] expected, byte[] actual, int width, int bytesPerPixel = 4)
    {
        Assert.Equal(expected.Length, actual.Length);
        int at = expected.AsSpan().CommonPrefixLength(actual);
        if (at < expected.Length)
        {
            int pixel = at / bytesPerPixel;
            throw new XunitException($"pixels differ first at ({pixel % width},{pixel / width}), byte {at % bytesPerPixel}: expected {expected[at]}, got {actual[at]}");
        }
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with the golden image <c>tests/data/golden/NAME.png</c>
    /// (<see cref="GoldenImages"/>); fails when PSNR or SSIM fall below <paramref name="tolerance"/>,
    /// naming where they differ and where the actual picture was written for review. With
    /// <c>EDITORBRIDGE_UPDATE_GOLDENS=1</c> it writes the golden instead (tests/update-goldens.sh).
    /// </summary>
    public static Comparison MatchesGolden(string name, RgbaPicture actual, GoldenTolerance tolerance)
    {
        if (GoldenImages.Updating)
        {
            GoldenImages.Write(name, actual);
            return Compare(actual.Width, actual.Height, actual.Rgba, actual.Rgba);
        }

        var golden = GoldenImages.Read(name)
            ?? throw new XunitException($"no golden image {GoldenImages.PathOf(name)}: run tests/update-goldens.sh and review the new picture");
        if ((golden.Width, golden.Height) != (actual.Width, actual.Height))
            throw new XunitException($"golden {name} is {golden.Width}x{golden.Height}, the result {actual.Width}x{actual.Height}; actual written to {GoldenImages.WriteActual(name, actual)}");
        var c = Compare(golden.Width, golden.Height, golden.Rgba, actual.Rgba);
        if (c.Psnr < tolerance.MinPsnr || c.Ssim < tolerance.MinSsim)
            throw new XunitException($"result differs from golden {name}: {c} (tolerance PSNR ≥ {tolerance.MinPsnr} dB, SSIM ≥ {tolerance.MinSsim}); " +
                $"actual written to {GoldenImages.WriteActual(name, actual)}. If the change is intended, run tests/update-goldens.sh and review the diff.");
        return c;
    }
}
