namespace EditorBridge.Engines.Classic;

/// <summary>
/// Layout of the pixels the fill works on: RGBA followed by two texture channels
/// (local mean of |d/dx| and |d/dy| of luma), so that patch distances tell texture from flat colour.
/// </summary>
internal static class WorkingPixels
{
    public const int Channels = 6;
    public const int ColourChannels = 4;

    /// <summary>Interleaves the picture with its texture channels.</summary>
    public static byte[] Create(int width, int height, byte[] rgba, byte[] hole, CancellationToken cancellationToken)
    {
        byte[] texture = TextureFeatures.Compute(width, height, rgba, hole, cancellationToken);
        var pixels = new byte[width * height * Channels];
        for (int p = 0; p < width * height; p++)
        {
            Array.Copy(rgba, p * ColourChannels, pixels, p * Channels, ColourChannels);
            pixels[p * Channels + 4] = texture[2 * p];
            pixels[p * Channels + 5] = texture[2 * p + 1];
        }
        return pixels;
    }

    /// <summary>Copies the colour of the hole pixels back into <paramref name="rgba"/>.</summary>
    public static void CopyHoleColours(byte[] pixels, byte[] hole, byte[] rgba)
    {
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                Array.Copy(pixels, p * Channels, rgba, p * ColourChannels, ColourChannels);
        }
    }
}
