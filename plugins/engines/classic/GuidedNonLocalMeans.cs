namespace EditorBridge.Engines.Classic;

/// <summary>
/// The second pass of a two-pass non-local-means denoiser: patch similarities are measured on a
/// first, already denoised estimate (the pilot), and the noisy pixels are averaged with those
/// weights, much as BM3D's second step uses its first. Measuring on the pilot finds the true
/// neighbours even where noise hides them; averaging the noisy pixels keeps the detail the pilot
/// pass smoothed away.
/// </summary>
internal static class GuidedNonLocalMeans
{
    /// <param name="noisy">Interleaved float channels, 0..255.</param>
    /// <param name="pilot">A denoised estimate of the same size and layout.</param>
    /// <param name="h">Filtering strength: a patch whose mean squared difference is h² weighs 1/e.</param>
    /// <param name="searchRadius">Neighbours are searched in a (2r+1)² window.</param>
    /// <param name="patchRadius">Patches are (2p+1)² pixels.</param>
    /// <param name="progress">The share of rows done (0..1) as bands finish, or null.</param>
    public static float[] Filter(float[] noisy, float[] pilot, int width, int height, int channels, double h, int searchRadius, int patchRadius, CancellationToken cancellationToken,
                                 Action<double>? progress = null)
    {
        if (noisy.Length != width * height * channels || pilot.Length != noisy.Length)
            throw new ArgumentException($"expected {width * height * channels} values for {width}x{height}x{channels}");
        int pad = searchRadius + patchRadius;
        var paddedPilot = Pad(pilot, width, height, channels, pad);
        var paddedNoisy = Pad(noisy, width, height, channels, pad);
        var result = new float[noisy.Length];
        int bandRows = Math.Max(16, height / (4 * Environment.ProcessorCount));
        int bands = (height + bandRows - 1) / bandRows;
        float scale = (float)(-1.0 / (h * h * channels * (2 * patchRadius + 1) * (2 * patchRadius + 1)));
        int bandsDone = 0;
        var reporting = new Lock();
        Parallel.For(0, bands, new ParallelOptions { CancellationToken = cancellationToken }, band =>
        {
            int y0 = band * bandRows, y1 = Math.Min(height, y0 + bandRows);
            FilterBand(paddedNoisy, paddedPilot, result, width, channels, pad, y0, y1, scale, searchRadius, patchRadius, cancellationToken);
            // counted and reported under one lock: two bands finishing at once must not report out of order
            // (a progress bar that goes back; seen on a busy machine)
            lock (reporting)
                progress?.Invoke((double)++bandsDone / bands);
        });
        return result;
    }

    private static void FilterBand(float[] noisy, float[] pilot, float[] result, int width, int channels, int pad, int y0, int y1, float scale, int searchRadius, int patchRadius, CancellationToken cancellationToken)
    {
        int paddedWidth = width + 2 * pad;
        int rows = y1 - y0;
        // squared differences for the band's rows plus the patch margin, then their patch sums
        int diffRows = rows + 2 * patchRadius, diffCols = width + 2 * patchRadius;
        var diff = new float[diffRows * diffCols];
        var columnSums = new float[rows * diffCols];
        var sum = new float[rows * width * channels];
        var weightSum = new float[rows * width];
        var weightMax = new float[rows * width];
        for (int dy = -searchRadius; dy <= searchRadius; dy++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int dx = -searchRadius; dx <= searchRadius; dx++)
            {
                if (dx == 0 && dy == 0)
                    continue;
                for (int r = 0; r < diffRows; r++)
                {
                    int py = y0 + pad - patchRadius + r;
                    int a = (py * paddedWidth + pad - patchRadius) * channels;
                    int b = ((py + dy) * paddedWidth + pad - patchRadius + dx) * channels;
                    int o = r * diffCols;
                    for (int c = 0; c < diffCols; c++, a += channels, b += channels)
                    {
                        float d = 0;
                        for (int k = 0; k < channels; k++)
                        {
                            float e = pilot[a + k] - pilot[b + k];
                            d += e * e;
                        }

                        diff[o + c] = d;
                    }
                }

                BoxSumColumns(diff, columnSums, diffCols, rows, 2 * patchRadius + 1);
                for (int r = 0; r < rows; r++)
                {
                    int row = r * diffCols;
                    float window = 0;
                    for (int c = 0; c < 2 * patchRadius; c++)
                        window += columnSums[row + c];
                    int source = ((y0 + r + pad + dy) * paddedWidth + pad + dx) * channels;
                    int target = r * width;
                    for (int x = 0; x < width; x++)
                    {
                        window += columnSums[row + x + 2 * patchRadius];
                        float w = MathF.Exp(window * scale);
                        window -= columnSums[row + x];
                        weightSum[target + x] += w;
                        if (w > weightMax[target + x])
                            weightMax[target + x] = w;
                        int s = source + x * channels, t = (target + x) * channels;
                        for (int k = 0; k < channels; k++)
                            sum[t + k] += w * noisy[s + k];
                    }
                }
            }
        }

        // the pixel itself counts as much as its best neighbour (Buades et al.)
        for (int r = 0; r < rows; r++)
        {
            int source = ((y0 + r + pad) * paddedWidth + pad) * channels;
            for (int x = 0; x < width; x++)
            {
                int i = r * width + x;
                float self = Math.Max(weightMax[i], 1e-6f);
                float total = weightSum[i] + self;
                for (int k = 0; k < channels; k++)
                    result[(y0 + r) * width * channels + x * channels + k] = (sum[i * channels + k] + self * noisy[source + x * channels + k]) / total;
            }
        }
    }

    // columnSums[r, c] = sum of diff[r .. r + size - 1, c]
    private static void BoxSumColumns(float[] diff, float[] columnSums, int cols, int rows, int size)
    {
        for (int c = 0; c < cols; c++)
        {
            float s = 0;
            for (int r = 0; r < size - 1; r++)
                s += diff[r * cols + c];
            for (int r = 0; r < rows; r++)
            {
                s += diff[(r + size - 1) * cols + c];
                columnSums[r * cols + c] = s;
                s -= diff[r * cols + c];
            }
        }
    }

    // Mirror padding (without repeating the edge pixel), so patches near the border have neighbours.
    private static float[] Pad(float[] values, int width, int height, int channels, int pad)
    {
        int paddedWidth = width + 2 * pad, paddedHeight = height + 2 * pad;
        var padded = new float[paddedWidth * paddedHeight * channels];
        for (int y = 0; y < paddedHeight; y++)
        {
            int sy = Mirror(y - pad, height);
            for (int x = 0; x < paddedWidth; x++)
            {
                int sx = Mirror(x - pad, width);
                Array.Copy(values, (sy * width + sx) * channels, padded, (y * paddedWidth + x) * channels, channels);
            }
        }

        return padded;
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1)
            return 0;
        int period = 2 * (n - 1);
        i = ((i % period) + period) % period;
        return i < n ? i : period - i;
    }
}
