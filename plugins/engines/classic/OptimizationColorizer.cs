namespace EditorBridge.Engines.Classic;

/// <summary>
/// Levin et al.'s colorization by optimization: the chroma (Cr, Cb) of every pixel is the
/// luminance-weighted average of its neighbours', with the hinted pixels fixed; the luminance is
/// never changed. Solved coarse to fine: each level of a 2× pyramid starts from the coarser
/// level's answer, so sparse hints spread far in few iterations. Levels above
/// <see cref="MaxSolvePixels"/> are not solved: the next level's answer is enlarged with a guided
/// filter steered by the luminance (chroma needs less resolution than luminance, as in 4:2:0 video).
/// </summary>
internal static class OptimizationColorizer
{
    public const int CoarsestSide = 48;
    public const int FinestIterations = 60;
    public const int CoarseIterations = 150;
    public const int MaxSolvePixels = 1200 * 1200;

    /// <param name="luma">Luminance 0..1 per pixel.</param>
    /// <param name="isHint">Pixels whose chroma is given.</param>
    /// <param name="chroma">Per channel, per pixel: the hint's value where <paramref name="isHint"/> (ignored elsewhere).</param>
    /// <returns>Per channel, the chroma of every pixel.</returns>
    public static float[][] Solve(int width, int height, float[] luma, bool[] isHint, float[][] chroma, CancellationToken cancellationToken)
    {
        if (!Array.Exists(isHint, h => h))
            throw new ArgumentException("at least one pixel must be hinted", nameof(isHint));
        return SolvePyramid(width, height, luma, isHint, chroma, finest: true, cancellationToken);
    }

    private static float[][] SolvePyramid(int width, int height, float[] luma, bool[] isHint, float[][] chroma, bool finest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (width <= CoarsestSide && height <= CoarsestSide || width < 4 || height < 4)
            return SolveLevel(width, height, luma, isHint, chroma, null, CoarseIterations * 4, cancellationToken);
        int w2 = (width + 1) / 2, h2 = (height + 1) / 2;
        var (luma2, hint2, chroma2) = Shrink(width, height, luma, isHint, chroma);
        var coarse = SolvePyramid(w2, h2, luma2, hint2, chroma2, finest: false, cancellationToken);
        var guess = coarse.Select(c => Enlarge(c, w2, h2, width, height)).ToArray();
        if ((long)width * height > MaxSolvePixels)
            return Enumerable.Range(0, guess.Length).Select(c => EdgeAware(guess[c], luma, isHint, chroma[c], width, height)).ToArray();
        return SolveLevel(width, height, luma, isHint, chroma, guess, finest ? FinestIterations : CoarseIterations, cancellationToken);
    }

    // An enlarged chroma plane sharpened to the luminance's edges (guided filter), hints put back.
    private static float[] EdgeAware(float[] enlarged, float[] luma, bool[] isHint, float[] hints, int width, int height)
    {
        using var guide = RgbaMat.FromFloats(height, width, 1, luma);
        using var source = RgbaMat.FromFloats(height, width, 1, enlarged);
        using var filtered = new OpenCvSharp.Mat();
        OpenCvSharp.XImgProc.CvXImgProc.GuidedFilter(guide, source, filtered, 4, 1e-4);
        var result = RgbaMat.Floats(filtered);
        for (int p = 0; p < result.Length; p++)
        {
            if (isHint[p])
                result[p] = hints[p];
        }

        return result;
    }

    private static float[][] SolveLevel(int width, int height, float[] luma, bool[] isHint, float[][] chroma, float[][]? guess, int iterations, CancellationToken cancellationToken)
    {
        var laplacian = new AffinityLaplacian(width, height, luma);
        var result = new float[chroma.Length][];
        for (int c = 0; c < chroma.Length; c++)
        {
            double mean = 0;
            int hints = 0;
            for (int p = 0; p < isHint.Length; p++)
            {
                if (isHint[p])
                {
                    mean += chroma[c][p];
                    hints++;
                }
            }

            var x = guess?[c] ?? Enumerable.Repeat((float)(mean / hints), luma.Length).ToArray();
            for (int p = 0; p < isHint.Length; p++)
            {
                if (isHint[p])
                    x[p] = chroma[c][p];
            }

            ConstrainedSolver.Solve(laplacian, isHint, x, iterations, 1e-4f, cancellationToken);
            result[c] = x;
        }

        return result;
    }

    // Half size: luminance averaged; a coarse pixel is hinted when any of its four is, with their mean chroma.
    private static (float[] Luma, bool[] IsHint, float[][] Chroma) Shrink(int width, int height, float[] luma, bool[] isHint, float[][] chroma)
    {
        int w2 = (width + 1) / 2, h2 = (height + 1) / 2;
        var luma2 = new float[w2 * h2];
        var hint2 = new bool[w2 * h2];
        var chroma2 = chroma.Select(_ => new float[w2 * h2]).ToArray();
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++)
            {
                float sum = 0;
                int count = 0, hinted = 0;
                var sums = new float[chroma.Length];
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int sx = 2 * x + dx, sy = 2 * y + dy;
                        if (sx >= width || sy >= height)
                            continue;
                        int p = sy * width + sx;
                        sum += luma[p];
                        count++;
                        if (!isHint[p])
                            continue;
                        hinted++;
                        for (int c = 0; c < chroma.Length; c++)
                            sums[c] += chroma[c][p];
                    }

                int q = y * w2 + x;
                luma2[q] = sum / count;
                hint2[q] = hinted > 0;
                for (int c = 0; c < chroma.Length && hinted > 0; c++)
                    chroma2[c][q] = sums[c] / hinted;
            }

        return (luma2, hint2, chroma2);
    }

    // Bilinear enlargement of a coarse level's answer to the finer level's size.
    private static float[] Enlarge(float[] coarse, int w2, int h2, int width, int height)
    {
        var fine = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            float fy = Math.Clamp((y + 0.5f) / 2 - 0.5f, 0, h2 - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, h2 - 1);
            float ty = fy - y0;
            for (int x = 0; x < width; x++)
            {
                float fx = Math.Clamp((x + 0.5f) / 2 - 0.5f, 0, w2 - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, w2 - 1);
                float tx = fx - x0;
                float top = coarse[y0 * w2 + x0] * (1 - tx) + coarse[y0 * w2 + x1] * tx;
                float bottom = coarse[y1 * w2 + x0] * (1 - tx) + coarse[y1 * w2 + x1] * tx;
                fine[y * width + x] = top * (1 - ty) + bottom * ty;
            }
        }

        return fine;
    }
}
