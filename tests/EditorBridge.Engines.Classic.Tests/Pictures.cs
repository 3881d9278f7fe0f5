using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

/// <summary>Test pictures and the damage the tests do to them (seeded, so every run is the same).</summary>
internal static class Pictures
{
    public static RgbaPicture Centre(string fileName, int side)
    {
        var picture = TestPictures.Load(fileName);
        int width = Math.Min(side, picture.Width), height = Math.Min(side, picture.Height);
        return picture.Crop((picture.Width - width) / 2, (picture.Height - height) / 2, width, height);
    }

    public static RgbaPicture WithNoise(RgbaPicture picture, double sigma, int seed)
    {
        var random = new Random(seed);
        var rgba = (byte[])picture.Rgba.Clone();
        for (int i = 0; i < rgba.Length; i++)
        {
            if (i % 4 == 3)
                continue;
            // Box–Muller
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            double n = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            rgba[i] = (byte)Math.Clamp(Math.Round(rgba[i] + sigma * n), 0, 255);
        }

        return picture with { Rgba = rgba };
    }

    /// <summary>Gaussian blur of the colour with mirrored borders, as OpenCV's GaussianBlur does.</summary>
    public static RgbaPicture Blurred(RgbaPicture picture, double sigma)
    {
        using var rgba = OpenCvSharp.Mat.FromPixelData(picture.Height, picture.Width, OpenCvSharp.MatType.CV_8UC4, picture.Rgba);
        using var blurred = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.GaussianBlur(rgba, blurred, new OpenCvSharp.Size(0, 0), sigma, sigma, OpenCvSharp.BorderTypes.Reflect101);
        var result = RgbaMat.Bytes(blurred);
        for (int p = 3; p < result.Length; p += 4)
            result[p] = picture.Rgba[p];
        return picture with { Rgba = result };
    }

    /// <summary>Shrinks by area averaging (how a sensor integrates light).</summary>
    public static RgbaPicture Shrunk(RgbaPicture picture, int factor)
    {
        using var rgba = OpenCvSharp.Mat.FromPixelData(picture.Height, picture.Width, OpenCvSharp.MatType.CV_8UC4, picture.Rgba);
        using var small = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(rgba, small, new OpenCvSharp.Size(picture.Width / factor, picture.Height / factor), 0, 0, OpenCvSharp.InterpolationFlags.Area);
        return new RgbaPicture(small.Cols, small.Rows, RgbaMat.Bytes(small));
    }

    public static RgbaPicture Resized(RgbaPicture picture, int width, int height, OpenCvSharp.InterpolationFlags how)
    {
        using var rgba = OpenCvSharp.Mat.FromPixelData(picture.Height, picture.Width, OpenCvSharp.MatType.CV_8UC4, picture.Rgba);
        using var resized = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(rgba, resized, new OpenCvSharp.Size(width, height), 0, 0, how);
        return new RgbaPicture(width, height, RgbaMat.Bytes(resized));
    }

    public static RgbaPicture Transparent(int width, int height) => new(width, height, new byte[width * height * 4]);

    public static byte[] Rectangle(int width, int height, int x, int y, int w, int h)
    {
        var mask = new byte[width * height];
        for (int row = y; row < y + h; row++)
            mask.AsSpan(row * width + x, w).Fill(255);
        return mask;
    }

    public static RgbaPicture FromImage(EngineImage image) => new(image.Width, image.Height, image.Pixels);
}
