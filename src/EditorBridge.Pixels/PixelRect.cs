namespace EditorBridge.Imaging;

/// <summary>A rectangle of pixels in canvas coordinates; right and bottom are exclusive.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public long Area => IsEmpty ? 0 : (long)Width * Height;

    /// <summary>The rectangle between the edges; empty (<c>default</c>) when they cross.</summary>
    public static PixelRect FromEdges(int left, int top, int right, int bottom) =>
        right <= left || bottom <= top ? default : new PixelRect(left, top, right - left, bottom - top);

    public bool Contains(PixelRect other) =>
        !other.IsEmpty && other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    public bool Contains(int x, int y) => x >= X && y >= Y && x < Right && y < Bottom;

    public PixelRect Intersect(PixelRect other)
    {
        int x = Math.Max(X, other.X), y = Math.Max(Y, other.Y);
        int r = Math.Min(Right, other.Right), b = Math.Min(Bottom, other.Bottom);
        return r <= x || b <= y ? default : new PixelRect(x, y, r - x, b - y);
    }

    /// <summary>The smallest rectangle holding both (an empty one counts for nothing).</summary>
    public PixelRect Union(PixelRect other) =>
        IsEmpty ? other
        : other.IsEmpty ? this
        : FromEdges(Math.Min(X, other.X), Math.Min(Y, other.Y), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    /// <summary>Grows every side by <paramref name="by"/> pixels (edges kept within ±2³⁰: no overflow).</summary>
    public PixelRect Inflate(int by) =>
        new(Clamp((long)X - by), Clamp((long)Y - by), Clamp((long)Width + 2L * by), Clamp((long)Height + 2L * by));

    public override string ToString() => $"{Width}x{Height}@({X},{Y})";

    private static int Clamp(long v) => (int)Math.Clamp(v, int.MinValue / 2, int.MaxValue / 2);
}
