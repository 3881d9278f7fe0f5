namespace EditorBridge.Engines.Classic;

/// <summary>
/// How much ink each pixel of a line-art layer holds, 0..1: its darkness once laid over white paper,
/// (1 − luma) × opacity. Works for black lines on white and for lines on a transparent layer.
/// </summary>
internal static class InkMap
{
    public static float[] Compute(EngineImage image)
    {
        var pixels = image.Pixels;
        var ink = new float[image.Width * image.Height];
        for (int p = 0; p < ink.Length; p++)
        {
            float luma = (0.299f * pixels[p * 4] + 0.587f * pixels[p * 4 + 1] + 0.114f * pixels[p * 4 + 2]) / 255f;
            ink[p] = (1 - luma) * pixels[p * 4 + 3] / 255f;
        }

        return ink;
    }

    /// <summary>
    /// Whether the picture looks like line art: mostly paper (light or transparent), some dark ink,
    /// few mid-tones. Photos, even grey ones, have far more mid-tones.
    /// </summary>
    public static bool LooksLikeLineArt(EngineImage image)
    {
        var pixels = image.Pixels;
        int n = image.Width * image.Height, paper = 0, ink = 0, middle = 0;
        for (int p = 0; p < n; p++)
        {
            int a = pixels[p * 4 + 3];
            float luma = 0.299f * pixels[p * 4] + 0.587f * pixels[p * 4 + 1] + 0.114f * pixels[p * 4 + 2];
            float darkness = (255 - luma) * a / 255f;
            if (darkness < 40)
                paper++;
            else if (darkness > 150)
                ink++;
            else
                middle++;
        }

        return paper >= 0.5 * n && ink >= 0.002 * n && middle <= 0.2 * n;
    }
}
