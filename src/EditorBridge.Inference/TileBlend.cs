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
    private readonly TileAxis columns;
    private readonly TileAxis rows;
    private float[] right = [];
    private float[] above = [];
    private float[] below = [];

    private readonly int scale;

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
        int plane = answer.Width * answer.Height;
        var data = answer.Data;
        for (int ty = 0; ty < tileHeight; ty++)
        {
            int y = y0 + ty;
            float wy = rows.Weight(row, y);
            for (int tx = 0; tx < tileWidth; tx++)
            {
                int x = x0 + tx;
                float wx = columns.Weight(column, x);
                for (int c = 0; c < Channels; c++)
                {
                    float h = wx * data[c * plane + ty * answer.Width + tx];
                    if (x < leftEnd)
                        h += right[(ty * (leftEnd - leftStart) + x - leftStart) * Channels + c];
                    if (x >= rightStart && rightEnd > rightStart)
                    {
                        nextRight[(ty * (rightEnd - rightStart) + x - rightStart) * Channels + c] = h;
                        continue;
                    }

                    float v = wy * h;
                    if (y < aboveEnd)
                        v += above[((y - aboveStart) * width + x) * Channels + c];
                    if (y >= belowStart && belowEnd > belowStart)
                        below[((y - belowStart) * width + x) * Channels + c] = v;
                    else
                        Write(x, y, c, v);
                }
            }
        }

        right = nextRight;
    }

    private void Write(int x, int y, int channel, float value)
    {
        int at = (y * width + x) * 4;
        Result[at + channel] = ImageTensors.ToByte(value);
        Result[at + 3] = 255;
    }

    private static float[] Strip(float[] reuse, int length) => reuse.Length == length ? reuse : new float[length];
}
