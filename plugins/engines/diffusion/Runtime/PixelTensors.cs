namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>RGBA8 pixels to the VAE's [1, 3, H, W] tensors in -1..1 and back; masks to latent resolution.</summary>
internal static class PixelTensors
{
    public static float[] ToSigned(EngineImage image)
    {
        int plane = image.Width * image.Height;
        var tensor = new float[3 * plane];
        var pixels = image.Pixels;
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
                tensor[c * plane + p] = pixels[p * 4 + c] / 127.5f - 1f;
        }

        return tensor;
    }

    /// <summary>0..1 per channel (the ControlNet's conditioning range).</summary>
    public static float[] ToUnit(EngineImage image, bool invert)
    {
        int plane = image.Width * image.Height;
        var tensor = new float[3 * plane];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = image.Pixels[p * 4 + c] / 255f;
                tensor[c * plane + p] = invert ? 1f - v : v;
            }
        }

        return tensor;
    }

    /// <summary>The VAE's output (-1..1) as RGBA8, alpha taken from <paramref name="alphaFrom"/> or opaque.</summary>
    public static byte[] ToRgba8(float[] tensor, int width, int height, EngineImage? alphaFrom)
    {
        int plane = width * height;
        var pixels = new byte[plane * 4];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
                pixels[p * 4 + c] = (byte)Math.Clamp(MathF.Round((tensor[c * plane + p] + 1f) * 127.5f), 0, 255);
            pixels[p * 4 + 3] = alphaFrom is null ? (byte)255 : alphaFrom.Pixels[p * 4 + 3];
        }

        return pixels;
    }

    /// <summary>
    /// A latent cell (8×8 pixels) is 1 when any of its pixels is to be regenerated, so the
    /// regenerated latents cover the whole hole; pixels outside the hole are restored afterwards.
    /// </summary>
    public static float[] LatentMask(byte[] coverage, int width, int height)
    {
        int lw = width / 8, lh = height / 8;
        var mask = new float[lw * lh];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (coverage[y * width + x] != 0)
                    mask[Math.Min(y / 8, lh - 1) * lw + Math.Min(x / 8, lw - 1)] = 1f;
            }
        }

        return mask;
    }

    /// <summary>The image with the hole set to 0 (mid grey), as diffusers' inpainting pipeline masks it.</summary>
    public static float[] MaskedSigned(float[] signed, byte[] coverage)
    {
        var masked = (float[])signed.Clone();
        int plane = coverage.Length;
        for (int p = 0; p < plane; p++)
        {
            if (coverage[p] != 0)
            {
                for (int c = 0; c < 3; c++)
                    masked[c * plane + p] = 0f;
            }
        }

        return masked;
    }
}
