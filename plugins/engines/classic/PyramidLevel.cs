namespace EditorBridge.Engines.Classic;

/// <summary>One resolution of the picture being filled: its working pixels, hole and patch layout.</summary>
internal sealed class PyramidLevel
{
    public PyramidLevel(int width, int height, byte[] pixels, byte[] hole, int patchRadius, CancellationToken cancellationToken)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
        Hole = hole;
        // two independent passes over the hole, one per core
        PatchLayout? layout = null;
        int[]? distance = null;
        Parallelism.Both(() => layout = PatchLayout.Create(width, height, hole, patchRadius, cancellationToken),
                         () => distance = ChessboardDistance.Compute(width, height, hole, cancellationToken), cancellationToken);
        Layout = layout!;
        DistanceToKnown = distance!;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Working pixels (see <see cref="WorkingPixels"/>): known ones stay as given, hole ones hold the current estimate.</summary>
    public byte[] Pixels { get; }

    /// <summary>Nonzero where the pixel is to be filled.</summary>
    public byte[] Hole { get; }

    public PatchLayout Layout { get; }

    /// <summary>Chessboard distance of each pixel to the nearest known pixel (0 on known pixels).</summary>
    public int[] DistanceToKnown { get; }

    /// <summary>
    /// Halves the level. A coarse pixel is a hole if any of its children is, so coarse known pixels
    /// average known pixels only and never leak hole content into the sources.
    /// </summary>
    public PyramidLevel Downsample(CancellationToken cancellationToken)
    {
        int width = (Width + 1) / 2;
        int height = (Height + 1) / 2;
        var pixels = new byte[width * height * WorkingPixels.Channels];
        var hole = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int x = 0; x < width; x++)
                DownsamplePixel(x, y, width, pixels, hole);
        }
        return new PyramidLevel(width, height, pixels, hole, Layout.Radius, cancellationToken);
    }

    /// <summary>Largest chessboard distance from a hole pixel to the nearest known pixel.</summary>
    public int HoleThickness()
    {
        int thickest = 0;
        foreach (int d in DistanceToKnown)
            thickest = Math.Max(thickest, d);
        return thickest;
    }

    private void DownsamplePixel(int x, int y, int coarseWidth, byte[] pixels, byte[] hole)
    {
        const int channels = WorkingPixels.Channels;
        Span<int> sums = stackalloc int[channels];
        int count = 0;
        for (int fy = 2 * y; fy < Math.Min(2 * y + 2, Height); fy++)
        {
            for (int fx = 2 * x; fx < Math.Min(2 * x + 2, Width); fx++)
            {
                int p = fy * Width + fx;
                if (Hole[p] != 0)
                {
                    hole[y * coarseWidth + x] = 1;
                    return;
                }
                for (int c = 0; c < channels; c++)
                    sums[c] += Pixels[channels * p + c];
                count++;
            }
        }
        int q = channels * (y * coarseWidth + x);
        for (int c = 0; c < channels; c++)
            pixels[q + c] = (byte)((sums[c] + count / 2) / count);
    }
}
