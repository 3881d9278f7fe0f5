using Xunit;
using Xunit.Sdk;

namespace EditorBridge.Testing;

/// <summary>
/// Compares pictures and reports PSNR, SSIM and the largest channel difference, so a failing
/// image test says how far off it is. Each caller states its tolerance and why.
/// </summary>
public static class ImageAssert
{
    public sealed record Comparison(double Psnr, double Ssim, int MaxDifference)
    {
        public override string ToString() => $"PSNR {Psnr:0.00} dB, SSIM {Ssim:0.0000}, max |Δ| {MaxDifference}";
    }

    public static Comparison Compare(int width, int height, byte[] expected, byte[] actual, byte[]? mask = null)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"pictures differ in size: {expected.Length} vs {actual.Length} bytes");
        int max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (mask is null || mask[i / 4] != 0)
                max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return new Comparison(ImageQuality.Psnr(expected, actual, mask), ImageQuality.Ssim(width, height, expected, actual, mask), max);
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
}
