using EditorBridge.Testing;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>Pictures the onnx tests work on: real photo crops, a grey one, and a bright disc on a dark ground.</summary>
internal static class Pictures
{
    public static RgbaPicture Photo(int side = 96) => TestPictures.Load("astronaut.png").Crop(200, 40, side, side);

    public static RgbaPicture Grey(RgbaPicture picture)
    {
        var grey = (byte[])picture.Rgba.Clone();
        for (int p = 0; p < grey.Length; p += 4)
            grey[p] = grey[p + 1] = grey[p + 2] = (byte)((grey[p] * 299 + grey[p + 1] * 587 + grey[p + 2] * 114) / 1000);
        return picture with { Rgba = grey };
    }

    /// <summary>A bright disc of <paramref name="radius"/> at (cx, cy) on a dark, slightly noisy ground.</summary>
    public static RgbaPicture Disc(int side, int cx, int cy, int radius)
    {
        var random = new Random(7);
        var rgba = new byte[side * side * 4];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
                int at = (y * side + x) * 4;
                rgba[at] = (byte)(inside ? 230 + random.Next(20) : 20 + random.Next(30));
                rgba[at + 1] = (byte)(inside ? 220 + random.Next(20) : 30 + random.Next(30));
                rgba[at + 2] = (byte)(inside ? 200 + random.Next(20) : 40 + random.Next(30));
                rgba[at + 3] = 255;
            }

        return new RgbaPicture(side, side, rgba);
    }
}
