namespace EditorBridge.PaintDotNet.Core;

/// <summary>A rectangle of canvas pixels (Paint.NET's <c>RectInt32</c> without the dependency).</summary>
public readonly record struct CanvasRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public long Area => IsEmpty ? 0 : (long)Width * Height;

    public static CanvasRect FromEdges(int left, int top, int right, int bottom) =>
        right <= left || bottom <= top ? default : new CanvasRect(left, top, right - left, bottom - top);

    public CanvasRect Intersect(CanvasRect other) =>
        FromEdges(Math.Max(X, other.X), Math.Max(Y, other.Y), Math.Min(Right, other.Right), Math.Min(Bottom, other.Bottom));

    public CanvasRect Union(CanvasRect other) =>
        IsEmpty ? other
        : other.IsEmpty ? this
        : FromEdges(Math.Min(X, other.X), Math.Min(Y, other.Y), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    /// <summary>Grows every side by <paramref name="pixels"/>, without overflowing.</summary>
    public CanvasRect Inflate(int pixels) =>
        FromEdges(Clamp((long)X - pixels), Clamp((long)Y - pixels), Clamp((long)Right + pixels), Clamp((long)Bottom + pixels));

    public bool Contains(int x, int y) => x >= X && y >= Y && x < Right && y < Bottom;

    public bool Contains(CanvasRect other) =>
        other.IsEmpty || (other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom);

    public override string ToString() => $"{Width}x{Height} at ({X},{Y})";

    private static int Clamp(long v) => (int)Math.Clamp(v, int.MinValue / 2, int.MaxValue / 2);
}
