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

    /// <summary>The picture with seeded Gaussian noise of <paramref name="sigma"/> grey levels on every colour channel (Box–Muller), alpha kept: every run gets the same noise.</summary>
    public RgbaPicture WithNoise(double sigma, int seed)
    {
        var random = new Random(seed);
        var rgba = (byte[])Rgba.Clone();
        for (int i = 0; i < rgba.Length; i++)
        {
            if (i % 4 == 3)
                continue;
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            double n = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            rgba[i] = (byte)Math.Clamp(Math.Round(rgba[i] + sigma * n), 0, 255);
        }

        return this with { Rgba = rgba };
    }
}
