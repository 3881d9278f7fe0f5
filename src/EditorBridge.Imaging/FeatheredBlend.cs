namespace EditorBridge.Imaging;

/// <summary>
/// Blends new pixels into the original with a soft edge that lies inside the selection, so
/// pixels outside it stay bit-identical and no seam shows at its border.
/// </summary>
public static class FeatheredBlend
{
    /// <summary>
    /// Blend weights (0..1) for <paramref name="region"/>: the selection's coverage times a
    /// smooth ramp that rises from 0 at the selection border to 1 at <paramref name="feather"/>
    /// pixels inside it. The layer's own border does not count as a selection border.
    /// Zero exactly where coverage is zero.
    /// </summary>
    public static float[] Weights(SelectionMask selection, PixelRect region, int feather, PixelRect layer)
    {
        var coverage = selection.CoverageIn(region);
        var weights = new float[coverage.Length];
        if (feather <= 0)
        {
            for (int i = 0; i < weights.Length; i++)
                weights[i] = coverage[i] / 255f;
            return weights;
        }

        var probe = region.Inflate(feather + 1).Intersect(layer);
        var probeCoverage = selection.CoverageIn(probe);
        var distance = DistanceField.ToNearest(probe.Width, probe.Height, i => probeCoverage[i] == 0);
        for (int y = 0; y < region.Height; y++)
        {
            for (int x = 0; x < region.Width; x++)
            {
                int i = y * region.Width + x;
                if (coverage[i] == 0)
                    continue;
                float d = distance[(y + region.Y - probe.Y) * probe.Width + (x + region.X - probe.X)];
                weights[i] = coverage[i] / 255f * SmoothStep(d / (feather + 1f));
            }
        }

        return weights;
    }

    /// <summary>
    /// Mixes <paramref name="replacement"/> (RGBA8, the region's size) into
    /// <paramref name="original"/> with <paramref name="weights"/>, in premultiplied alpha so
    /// transparent pixels cause no colour fringes. Weight 0 copies the original bytes exactly.
    /// </summary>
    public static Raster Apply(Raster original, byte[] replacement, float[] weights)
    {
        long pixels = original.Bounds.Area;
        if (replacement.LongLength != pixels * 4 || weights.LongLength != pixels)
            throw new ArgumentException($"replacement ({replacement.Length} bytes) and weights ({weights.Length}) must match {original.Bounds}");
        var data = (byte[])original.Data.Clone();
        bool wide = original.Format == PixelFormat.Rgba16;
        float max = wide ? 65535f : 255f;
        Span<float> source = stackalloc float[4];
        Span<float> target = stackalloc float[4];
        for (int p = 0; p < pixels; p++)
        {
            float w = weights[p];
            if (w <= 0f)
                continue;
            if (w >= 1f)
            {
                Replace(data, replacement, p, wide);
                continue;
            }

            for (int c = 0; c < 4; c++)
            {
                source[c] = (wide ? Channel16.Read(data, p * 4 + c) : data[p * 4 + c]) / max;
                target[c] = replacement[p * 4 + c] / 255f;
            }

            Mix(source, target, w);
            for (int c = 0; c < 4; c++)
            {
                float v = MathF.Round(Math.Clamp(source[c], 0f, 1f) * max);
                if (wide)
                    Channel16.Write(data, p * 4 + c, (ushort)v);
                else
                    data[p * 4 + c] = (byte)v;
            }
        }

        return new Raster(original.Bounds, original.Format, data);
    }

    private static void Replace(byte[] data, byte[] replacement, int p, bool wide)
    {
        if (!wide)
        {
            Buffer.BlockCopy(replacement, p * 4, data, p * 4, 4);
            return;
        }

        // data holds the original here: a channel the engine left at its rounding keeps its 16 bits
        for (int c = 0; c < 4; c++)
            Channel16.Write(data, p * 4 + c, Channel16.From8Over(replacement[p * 4 + c], Channel16.Read(data, p * 4 + c)));
    }

    // Result left in `into`: straight-alpha RGBA blended in premultiplied space.
    private static void Mix(Span<float> into, ReadOnlySpan<float> other, float w)
    {
        float alpha = into[3] + (other[3] - into[3]) * w;
        if (alpha <= 0f)
        {
            for (int c = 0; c < 3; c++)
                into[c] += (other[c] - into[c]) * w;
        }
        else
        {
            for (int c = 0; c < 3; c++)
                into[c] = (into[c] * into[3] * (1 - w) + other[c] * other[3] * w) / alpha;
        }

        into[3] = alpha;
    }

    private static float SmoothStep(float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        return t * t * (3 - 2 * t);
    }
}
