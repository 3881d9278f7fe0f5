using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace EditorBridge.Imaging;

/// <summary>Scaling of work areas (ImageSharp's resamplers, premultiplied alpha).</summary>
public static class Resampler
{
    /// <summary>Scales RGBA8 pixels; returns <paramref name="rgba"/> itself when the size does not change.</summary>
    public static byte[] ResizeRgba8(byte[] rgba, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight)
            return rgba;
        // wrap rather than copy: work areas can be hundreds of megabytes
        using var source = Image.WrapMemory<Rgba32>(rgba.AsMemory(), width, height);
        using var image = source.Clone(x => x.Resize(new ResizeOptions
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
    /// A small preview: bicubic when the picture is at most 4× larger than the preview, else
    /// nearest-neighbour, which reads only the pixels it keeps (a preview of a 64 MiB layer must
    /// not cost a full resample).
    /// </summary>
    public static byte[] Thumbnail(byte[] rgba, int width, int height, int newWidth, int newHeight) =>
        ThumbnailSamples(width, height, newWidth, newHeight)
            ? Nearest(rgba, 4, width, height, newWidth, newHeight)
            : ResizeRgba8(rgba, width, height, newWidth, newHeight);

    /// <summary>Whether <see cref="Thumbnail"/> keeps nearest pixels (<see cref="Nearest"/>) for these sizes.</summary>
    public static bool ThumbnailSamples(int width, int height, int newWidth, int newHeight) =>
        width > 4 * newWidth || height > 4 * newHeight;

    /// <summary>The nearest pixel to each new pixel's centre, pixels of <paramref name="bytesPerPixel"/> bytes.</summary>
    public static byte[] Nearest(byte[] pixels, int bytesPerPixel, int width, int height, int newWidth, int newHeight)
    {
        var result = new byte[newWidth * newHeight * bytesPerPixel];
        for (int y = 0; y < newHeight; y++)
        {
            int sy = (int)((y + 0.5) * height / newHeight);
            for (int x = 0; x < newWidth; x++)
            {
                int sx = (int)((x + 0.5) * width / newWidth);
                Buffer.BlockCopy(pixels, (sy * width + sx) * bytesPerPixel, result, (y * newWidth + x) * bytesPerPixel, bytesPerPixel);
            }
        }

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
        var result = ResizeGrey(mask, width, height, newWidth, newHeight, KnownResamplers.Box);
        for (int i = 0; i < result.Length; i++)
            result[i] = result[i] > 0 ? (byte)255 : (byte)0;
        return result;
    }

    /// <summary>
    /// Scales soft coverage (a selection an engine found) smoothly, keeping values in 0..255.
    /// Returns <paramref name="coverage"/> itself when the size does not change.
    /// </summary>
    public static byte[] ResizeCoverage(byte[] coverage, int width, int height, int newWidth, int newHeight)
    {
        return width == newWidth && height == newHeight
            ? coverage
            : ResizeGrey(coverage, width, height, newWidth, newHeight, KnownResamplers.Triangle);
    }

    private static byte[] ResizeGrey(byte[] grey, int width, int height, int newWidth, int newHeight, IResampler sampler)
    {
        using var image = Image.LoadPixelData<L8>(grey, width, height);
        image.Mutate(x => x.Resize(new ResizeOptions
        {
            Size = new Size(newWidth, newHeight),
            Mode = ResizeMode.Stretch,
            Sampler = sampler,
        }));
        var result = new byte[newWidth * newHeight];
        image.CopyPixelDataTo(result);
        return result;
    }
}
