namespace EditorBridge.Engines.Classic;

/// <summary>Colour hints read from a hint layer: every pixel at least half opaque is a hint of its colour.</summary>
internal static class HintSeeds
{
    public const int MinimumAlpha = 128;

    /// <returns>Per pixel: the hint's packed RGB (0xRRGGBB), or -1 where there is none.</returns>
    public static int[] Read(EngineImage hints)
    {
        var seeds = new int[hints.Width * hints.Height];
        var pixels = hints.Pixels;
        for (int p = 0; p < seeds.Length; p++)
            seeds[p] = pixels[p * 4 + 3] >= MinimumAlpha ? (pixels[p * 4] << 16) | (pixels[p * 4 + 1] << 8) | pixels[p * 4 + 2] : -1;
        return seeds;
    }

    public static bool Any(int[] seeds) => Array.Exists(seeds, s => s >= 0);
}
