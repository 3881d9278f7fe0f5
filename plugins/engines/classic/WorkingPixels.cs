using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        ReadOnlySpan<uint> colours = MemoryMarshal.Cast<byte, uint>(rgba);
        ReadOnlySpan<ushort> textures = MemoryMarshal.Cast<byte, ushort>(texture);
        for (int p = 0; p < colours.Length; p++)
        {
            // the four colour bytes and the two texture bytes, each as one unaligned write
            Unsafe.WriteUnaligned(ref pixels[p * Channels], colours[p]);
            Unsafe.WriteUnaligned(ref pixels[p * Channels + ColourChannels], textures[p]);
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
