namespace EditorBridge.Engines.Classic;

/// <summary>
/// Colours line art: flats from the hints (<see cref="InkBarrierFlats"/>) or, without hints, one
/// light colour per enclosed region (<see cref="RegionFlats"/>). In place, ink pixels are kept
/// byte for byte and the rest is the flat colour multiplied by the paper (so anti-aliased line
/// edges stay smooth); as flats, the answer is the opaque flat colours alone, to lay under the lines.
/// </summary>
internal static class LineArtColorizer
{
    public const string FromHints = "hints";
    public const string FromRegions = "regions";

    /// <param name="progress">Fractions 0..1 between the steps (ink map, flats, colouring), or null.</param>
    public static (byte[] Pixels, string Source) Colorize(EngineImage image, int[]? seeds, double inkThreshold, int gap, bool inPlace, CancellationToken cancellationToken,
                                                         Action<double>? progress = null)
    {
        int width = image.Width, height = image.Height;
        var ink = InkMap.Compute(image);
        progress?.Invoke(0.15);
        bool hinted = seeds is not null && HintSeeds.Any(seeds);
        var flats = hinted
            ? InkBarrierFlats.Fill(width, height, ink, seeds!, gap, cancellationToken)
            : RegionFlats.Fill(width, height, ink, inkThreshold, gap, cancellationToken);
        progress?.Invoke(0.85);
        var source = image.Pixels;
        var result = new byte[source.Length];
        for (int p = 0; p < flats.Length; p++)
        {
            int r = (flats[p] >> 16) & 255, g = (flats[p] >> 8) & 255, b = flats[p] & 255;
            int o = p * 4;
            if (!inPlace)
            {
                (result[o], result[o + 1], result[o + 2], result[o + 3]) = ((byte)r, (byte)g, (byte)b, (byte)255);
                continue;
            }

            if (ink[p] >= inkThreshold)
            {
                Buffer.BlockCopy(source, o, result, o, 4);
                continue;
            }

            // the pixel laid over white paper, then multiplied with the flat colour
            int a = source[o + 3];
            result[o] = (byte)((r * Paper(source[o], a) + 127) / 255);
            result[o + 1] = (byte)((g * Paper(source[o + 1], a) + 127) / 255);
            result[o + 2] = (byte)((b * Paper(source[o + 2], a) + 127) / 255);
            result[o + 3] = 255;
        }

        return (result, hinted ? FromHints : FromRegions);
    }

    private static int Paper(byte channel, int alpha) => (channel * alpha + 255 * (255 - alpha) + 127) / 255;
}
