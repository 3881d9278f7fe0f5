using EditorBridge.Engines.Diffusion.Models;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// A control layer (work-area RGBA8, as the daemon cut it) → the ControlNet's conditioning image:
/// [1, 3, H, W] in 0..1, the work image's size, strokes light on black as the ControlNets are trained.
/// Stroke strength: on a layer with transparency, its alpha (whatever the colour); on an opaque layer,
/// 1 − luminance on light paper, else the luminance. Line art keeps it as it is (soft edges too),
/// scribble thresholds it at 0.5 to 0 or 1, depth is the painted grey (white near), transparent = far.
/// </summary>
internal static class ControlLayers
{
    public static ControlImage Extract(string type, EngineImage layer, float scale)
    {
        int plane = layer.Width * layer.Height;
        var p = layer.Pixels;
        var values = new float[3 * plane];
        bool transparent = false;
        double light = 0;
        for (int i = 0; i < plane; i++)
        {
            transparent |= p[i * 4 + 3] < 250;
            light += Luminance(p, i);
        }

        bool paper = light / plane > 0.5;
        for (int i = 0; i < plane; i++)
        {
            float a = p[i * 4 + 3] / 255f, lum = Luminance(p, i);
            float v = type switch
            {
                ControlTypes.Depth => a * lum,
                _ => Stroke(a, lum, transparent, paper) is var s && type == ControlTypes.Scribble ? (s >= 0.5f ? 1f : 0f) : s,
            };
            values[i] = values[plane + i] = values[2 * plane + i] = v;
        }

        return new ControlImage(values, layer.Width, layer.Height, scale);
    }

    private static float Stroke(float alpha, float luminance, bool transparent, bool paper) =>
        transparent ? alpha : paper ? 1f - luminance : luminance;

    private static float Luminance(byte[] p, int i) => (0.299f * p[i * 4] + 0.587f * p[i * 4 + 1] + 0.114f * p[i * 4 + 2]) / 255f;
}
