using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EditorBridge.Imaging;

/// <summary>Scaling of work areas (ImageSharp's resamplers, premultiplied alpha).</summary>
public static class Resampler
{
    /// <summary>Scales RGBA8 pixels; returns <paramref name="rgba"/> itself when the size does not change.</summary>
    public static byte[] ResizeRgba8(byte[] rgba, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight)
            return rgba;
        using var image = Image.LoadPixelData<Rgba32>(rgba, width, height);
        image.Mutate(x => x.Resize(new ResizeOptions
        {
            Size = new Size(newWidth, newHeight),
            Mode = ResizeMode.Stretch,
            Sampler = KnownResamplers.Bicubic,
        }));
        var result = new byte[newWidth * newHeight * 4];
        image.CopyPixelDataTo(result);
        return result;
    }

    /// <summary>
    /// Scales a hard mask conservatively: a target pixel is set when any source pixel under it is.
    /// Returns <paramref name="mask"/> itself when the size does not change.
    /// </summary>
    public static byte[] ResizeMask(byte[] mask, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight)
            return mask;
        using var image = Image.LoadPixelData<L8>(mask, width, height);
        image.Mutate(x => x.Resize(new ResizeOptions
        {
            Size = new Size(newWidth, newHeight),
            Mode = ResizeMode.Stretch,
            Sampler = KnownResamplers.Box,
        }));
        var result = new byte[newWidth * newHeight];
        image.CopyPixelDataTo(result);
        for (int i = 0; i < result.Length; i++)
            result[i] = result[i] > 0 ? (byte)255 : (byte)0;
        return result;
    }
}
