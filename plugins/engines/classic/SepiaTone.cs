namespace EditorBridge.Engines.Classic;

/// <summary>
/// The colour a grey photo gets with neither hints nor a reference: an old-photograph sepia tone,
/// strongest in the mid-tones and fading toward black and white, luminance untouched.
/// </summary>
internal static class SepiaTone
{
    /// <summary>Cr and Cb offsets from neutral (128) at full strength: a warm brown.</summary>
    public const float Red = 14, Blue = -18;

    public static float[][] Chroma(byte[] luma)
    {
        var cr = new float[luma.Length];
        var cb = new float[luma.Length];
        for (int p = 0; p < luma.Length; p++)
        {
            float y = luma[p] / 255f;
            float strength = 4 * y * (1 - y);
            cr[p] = 128 + Red * strength;
            cb[p] = 128 + Blue * strength;
        }

        return [cr, cb];
    }
}
