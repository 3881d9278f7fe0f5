namespace EditorBridge.Engines.Classic;

/// <summary>Sparse samples on a grid, with window means over the samples present (summed-area tables).</summary>
internal sealed class BoxSum
{
    private readonly int _width;
    private readonly int _height;
    private readonly long[] _sums;
    private readonly int[] _counts;

    public BoxSum(int width, int height)
    {
        _width = width;
        _height = height;
        _sums = new long[(width + 1) * (height + 1)];
        _counts = new int[(width + 1) * (height + 1)];
    }

    public void Add(int x, int y, int value)
    {
        int i = (y + 1) * (_width + 1) + x + 1;
        _sums[i] += value;
        _counts[i]++;
    }

    /// <summary>Turns the added samples into summed-area tables; call once, after the last Add.</summary>
    public void Integrate()
    {
        int stride = _width + 1;
        for (int y = 1; y <= _height; y++)
        {
            for (int x = 1; x <= _width; x++)
            {
                int i = y * stride + x;
                _sums[i] += _sums[i - 1] + _sums[i - stride] - _sums[i - stride - 1];
                _counts[i] += _counts[i - 1] + _counts[i - stride] - _counts[i - stride - 1];
            }
        }
    }

    /// <summary>Mean of the samples within <paramref name="radius"/> (chessboard) of (x, y); 0 when there are none.</summary>
    public double Mean(int x, int y, int radius)
    {
        int stride = _width + 1;
        int left = Math.Max(0, x - radius);
        int right = Math.Min(_width, x + radius + 1);
        int top = Math.Max(0, y - radius) * stride;
        int bottom = Math.Min(_height, y + radius + 1) * stride;
        int count = _counts[bottom + right] - _counts[bottom + left] - _counts[top + right] + _counts[top + left];
        long sum = _sums[bottom + right] - _sums[bottom + left] - _sums[top + right] + _sums[top + left];
        return count == 0 ? 0 : (double)sum / count;
    }
}
