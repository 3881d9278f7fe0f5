namespace EditorBridge.Testing;

/// <summary>A test picture as RGBA8, straight alpha.</summary>
public sealed record RgbaPicture(int Width, int Height, byte[] Rgba)
{
    /// <summary>A copy of the <paramref name="width"/>×<paramref name="height"/> block at (x, y).</summary>
    public RgbaPicture Crop(int x, int y, int width, int height)
    {
        var data = new byte[width * height * 4];
        for (int row = 0; row < height; row++)
            Buffer.BlockCopy(Rgba, ((y + row) * Width + x) * 4, data, row * width * 4, width * 4);
        return new RgbaPicture(width, height, data);
    }
}
