namespace EditorBridge.Engines.Classic;

/// <summary>
/// The hole's bounding box grown by a margin of context, clipped to the picture: the part of a large picture that the
/// fill's per-pixel steps need to look at (Width 0: no hole). Cropping to it leaves their result inside the hole as
/// it was where the margin covers every filter and ring that reaches into the hole.
/// </summary>
internal readonly struct HoleBox
{
    public readonly int X, Y, Width, Height, PictureWidth, PictureHeight;

    public HoleBox(int width, int height, byte[] hole, int margin)
    {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            int first = hole.AsSpan(row, width).IndexOfAnyExcept((byte)0);
            if (first < 0)
                continue;
            int last = hole.AsSpan(row, width).LastIndexOfAnyExcept((byte)0);
            (x0, x1, y0, y1) = (Math.Min(x0, first), Math.Max(x1, last), Math.Min(y0, y), Math.Max(y1, y));
        }
        (PictureWidth, PictureHeight) = (width, height);
        if (x1 < 0)
            return;
        X = Math.Max(0, x0 - margin);
        Y = Math.Max(0, y0 - margin);
        Width = Math.Min(width, x1 + margin + 1) - X;
        Height = Math.Min(height, y1 + margin + 1) - Y;
    }

    /// <summary>Whether the box is the whole picture.</summary>
    public bool Whole => Width == PictureWidth && Height == PictureHeight;

    /// <summary>Index in the picture of the box's pixel (x, y).</summary>
    public int Index(int x, int y) => (Y + y) * PictureWidth + X + x;

    /// <summary>The box's part of a picture of <paramref name="channels"/> values per pixel.</summary>
    public T[] Crop<T>(T[] values, int channels)
    {
        var part = new T[Width * Height * channels];
        for (int y = 0; y < Height; y++)
            Array.Copy(values, Index(0, y) * channels, part, y * Width * channels, Width * channels);
        return part;
    }

    /// <summary>Writes <paramref name="part"/> (the box's pixels) back into <paramref name="values"/>.</summary>
    public void Paste<T>(T[] part, T[] values, int channels)
    {
        for (int y = 0; y < Height; y++)
            Array.Copy(part, y * Width * channels, values, Index(0, y) * channels, Width * channels);
    }
}
