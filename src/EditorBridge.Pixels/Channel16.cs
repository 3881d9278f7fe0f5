namespace EditorBridge.Imaging;

/// <summary>Little-endian 16-bit channel access and exact 8↔16 bit conversions.</summary>
internal static class Channel16
{
    public static ushort Read(byte[] data, int channelIndex) =>
        (ushort)(data[2 * channelIndex] | (data[2 * channelIndex + 1] << 8));

    public static void Write(byte[] data, int channelIndex, ushort value)
    {
        data[2 * channelIndex] = (byte)value;
        data[2 * channelIndex + 1] = (byte)(value >> 8);
    }

    // v * 255 / 65535 rounded; 8 → 16 is v * 257 so that 8 → 16 → 8 is exact.
    public static byte To8(ushort value) => (byte)((value * 255 + 32767) / 65535);

    public static ushort From8(byte value) => (ushort)(value * 257);
}
