using OpenCvSharp;
using OpenCvSharp.XImgProc;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Colours a grey picture from a reference's palette with no hints (after Welsh et al.,
/// "Transferring color to greyscale images", 2002, by luminance alone): pixels of the same
/// luminance rank get the reference's mean chroma at that rank, then the chroma is smoothed along
/// the picture's edges (guided filter), so textures do not speckle.
/// </summary>
internal static class LuminancePaletteTransfer
{
    public const int Bins = 64;

    /// <param name="luma">The picture's luminance, 0..255 (8-bit Y of YCrCb).</param>
    /// <param name="reference">The reference's YCrCb, 8-bit, visible pixels only (Y, Cr, Cb triples).</param>
    /// <returns>Cr and Cb per pixel.</returns>
    public static float[][] Transfer(int width, int height, byte[] luma, IReadOnlyList<(byte Y, byte Cr, byte Cb)> reference)
    {
        // luminance ranks: the reference's chroma by its own luminance percentile
        var ordered = reference.OrderBy(r => r.Y).ToArray();
        var binCr = new float[Bins];
        var binCb = new float[Bins];
        for (int b = 0; b < Bins; b++)
        {
            int from = b * ordered.Length / Bins, to = Math.Max(from + 1, (b + 1) * ordered.Length / Bins);
            double cr = 0, cb = 0;
            for (int i = from; i < to && i < ordered.Length; i++)
            {
                cr += ordered[i].Cr;
                cb += ordered[i].Cb;
            }

            int count = Math.Max(1, Math.Min(to, ordered.Length) - from);
            binCr[b] = (float)(cr / count);
            binCb[b] = (float)(cb / count);
        }

        // the picture's own luminance percentile of each level
        var histogram = new int[256];
        foreach (var v in luma)
            histogram[v]++;
        var rank = new float[256];
        int below = 0;
        for (int v = 0; v < 256; v++)
        {
            rank[v] = (below + histogram[v] / 2f) / luma.Length;
            below += histogram[v];
        }

        var crPlane = new float[luma.Length];
        var cbPlane = new float[luma.Length];
        for (int p = 0; p < luma.Length; p++)
        {
            float at = Math.Clamp(rank[luma[p]] * Bins - 0.5f, 0, Bins - 1);
            int b0 = (int)at, b1 = Math.Min(b0 + 1, Bins - 1);
            float t = at - b0;
            crPlane[p] = binCr[b0] * (1 - t) + binCr[b1] * t;
            cbPlane[p] = binCb[b0] * (1 - t) + binCb[b1] * t;
        }

        using var guide = new Mat(height, width, MatType.CV_32FC1);
        System.Runtime.InteropServices.Marshal.Copy(luma.Select(v => v / 255f).ToArray(), 0, guide.Data, luma.Length);
        return [Smooth(guide, crPlane, width, height), Smooth(guide, cbPlane, width, height)];
    }

    private static float[] Smooth(Mat guide, float[] plane, int width, int height)
    {
        using var source = RgbaMat.FromFloats(height, width, 1, plane);
        using var result = new Mat();
        int radius = Math.Max(2, Math.Min(width, height) / 64);
        CvXImgProc.GuidedFilter(guide, source, result, radius, 1e-3);
        return RgbaMat.Floats(result);
    }
}
