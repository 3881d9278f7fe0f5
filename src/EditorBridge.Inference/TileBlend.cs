namespace EditorBridge.Inference;

/// <summary>
/// Adds tile answers (row by row, left to right) into the RGBA8 result. A pixel is written once
/// every tile covering it is in; until then its weighted share waits in a float strip: the overlap
/// with the next tile on the right (tile height × overlap), and the overlap with the next row of
/// tiles (overlap × full width).
/// </summary>
internal sealed class TileBlend
{
    private const int Channels = 3;
    private readonly int width;
    private readonly int scale;
    private readonly TileAxis columns;
    private readonly TileAxis rows;
    private float[] right = [];
    private float[] above = [];
    private float[] below = [];

    public TileBlend(int width, int height, int scale, TileAxis columns, TileAxis rows)
    {
        this.width = width;
        this.scale = scale;
        this.columns = columns;
        this.rows = rows;
        Result = new byte[checked(width * height * 4)];
    }

    public byte[] Result { get; }

    public void Add(int column, int row, PlanarImage answer)
    {
        int x0 = columns.Start(column) * scale, y0 = rows.Start(row) * scale;
        int tileWidth = columns.Length(column) * scale, tileHeight = rows.Length(row) * scale;
        var (rightStart, rightEnd) = columns.OverlapWithNext(column);
        var (leftStart, leftEnd) = column > 0 ? columns.OverlapWithNext(column - 1) : (0, 0);
        var (belowStart, belowEnd) = rows.OverlapWithNext(row);
        var (aboveStart, aboveEnd) = row > 0 ? rows.OverlapWithNext(row - 1) : (0, 0);
        if (column == 0)
        {
            // a new row of tiles: what the last row left for its lower overlap is now above
            (above, below) = (below, above);
            below = Strip(below, (belowEnd - belowStart) * width * Channels);
        }

        var nextRight = new float[tileHeight * (rightEnd - rightStart) * Channels];
        var wx = new float[tileWidth];
        for (int tx = 0; tx < tileWidth; tx++)
            wx[tx] = columns.Weight(column, x0 + tx);
        int plane = answer.Width * answer.Height;
        var data = answer.Data;
        int leftWidth = leftEnd - leftStart, rightWidth = rightEnd - rightStart, belowHeight = belowEnd - belowStart;
        // columns of this tile: [0, leftStop) finish the left overlap, [leftStop, rightFrom) are whole, [rightFrom, end) wait for the next tile
        int leftStop = Math.Max(0, leftEnd - x0), rightFrom = rightWidth > 0 ? rightStart - x0 : tileWidth;
        var line = new float[tileWidth];
        for (int c = 0; c < Channels; c++)
        {
            for (int ty = 0; ty < tileHeight; ty++)
            {
                int y = y0 + ty;
                var source = data.AsSpan(c * plane + ty * answer.Width, tileWidth);
                for (int tx = 0; tx < tileWidth; tx++)
                    line[tx] = wx[tx] * source[tx];
                for (int tx = 0; tx < leftStop; tx++)
                    line[tx] += right[(ty * leftWidth + x0 + tx - leftStart) * Channels + c];
                for (int tx = rightFrom; tx < tileWidth; tx++)
                    nextRight[(ty * rightWidth + x0 + tx - rightStart) * Channels + c] = line[tx];
                float wy = rows.Weight(row, y);
                Vertical(line.AsSpan(0, rightFrom), x0, y, c, wy, aboveStart, aboveEnd, belowStart, belowHeight);
            }
        }

        right = nextRight;
    }

    /// <summary>Finished columns of one row: weighted into the next row of tiles' overlap, or written out.</summary>
    private void Vertical(ReadOnlySpan<float> values, int x0, int y, int channel, float wy, int aboveStart, int aboveEnd, int belowStart, int belowHeight)
    {
        bool waits = belowHeight > 0 && y >= belowStart, finishes = y < aboveEnd;
        int pending = ((waits ? y - belowStart : y - aboveStart) * width + x0) * Channels + channel;
        int at = (y * width + x0) * 4 + channel;
        for (int i = 0; i < values.Length; i++, pending += Channels, at += 4)
        {
            float v = wy * values[i];
            if (finishes)
                v += above[pending];
            if (waits)
            {
                below[pending] = v;
                continue;
            }

            Result[at] = ImageTensors.ToByte(v);
            Result[at + 3 - channel] = 255;
        }
    }

    private static float[] Strip(float[] reuse, int length) => reuse.Length == length ? reuse : new float[length];
}
