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

    /// <summary>Seeded noise: <see cref="RgbaPicture.WithNoise"/>, the one the benchmark uses too.</summary>
    public static RgbaPicture WithNoise(RgbaPicture picture, double sigma, int seed) => picture.WithNoise(sigma, seed);

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

    /// <summary>Mean Lab (L 0..100) and its standard deviations, as OpenCV computes them.</summary>
    public static (double[] Mean, double[] Std) LabStatistics(RgbaPicture picture)
    {
        using var bgr = RgbaMat.Bgr(EngineRun.Image(picture));
        using var lab = ColourStatisticsTransfer.Lab(bgr);
        OpenCvSharp.Cv2.MeanStdDev(lab, out var mean, out var std);
        return ([mean.Val0, mean.Val1, mean.Val2], [std.Val0, std.Val1, std.Val2]);
    }

    /// <summary>Mean squared luma step to the right and downward: how much fine detail there is.</summary>
    public static double GradientEnergy(RgbaPicture picture)
    {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < picture.Height - 1; y++)
            for (int x = 0; x < picture.Width - 1; x++)
            {
                double here = Luma(picture, x, y);
                sum += Math.Pow(Luma(picture, x + 1, y) - here, 2) + Math.Pow(Luma(picture, x, y + 1) - here, 2);
                count++;
            }

        return sum / count;
    }

    public static double Luma(RgbaPicture picture, int x, int y)
    {
        int i = (y * picture.Width + x) * 4;
        return 0.299 * picture.Rgba[i] + 0.587 * picture.Rgba[i + 1] + 0.114 * picture.Rgba[i + 2];
    }

    public static double MeanAbsoluteDifference(byte[] a, byte[] b, byte[]? mask = null)
    {
        double sum = 0;
        long count = 0;
        for (int p = 0; p < a.Length / 4; p++)
        {
            if (mask is not null && mask[p] == 0)
                continue;
            for (int c = 0; c < 3; c++)
                sum += Math.Abs(a[p * 4 + c] - b[p * 4 + c]);
            count += 3;
        }

        return sum / count;
    }

    public static byte[] Disc(int width, int height, double cx, double cy, double radius)
    {
        var mask = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius)
                    mask[y * width + x] = 255;
        return mask;
    }

    /// <summary>Median absolute luma step to the right: low when areas are flat, whatever the edges do.</summary>
    public static double MedianGradient(RgbaPicture picture)
    {
        var steps = new List<double>();
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width - 1; x++)
                steps.Add(Math.Abs(Luma(picture, x + 1, y) - Luma(picture, x, y)));
        steps.Sort();
        return steps[steps.Count / 2];
    }

    /// <summary>
    /// Pearson correlation of the two pictures' edge maps (gradient magnitude of luma, blurred by 2
    /// pixels): whether the edges are in the same places, whatever their contrast or colour.
    /// </summary>
    public static double EdgeCorrelation(RgbaPicture a, RgbaPicture b)
    {
        float[] Edges(RgbaPicture picture)
        {
            using var bgr = RgbaMat.Bgr(EngineRun.Image(picture));
            using var gray = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.CvtColor(bgr, gray, OpenCvSharp.ColorConversionCodes.BGR2GRAY);
            using var dx = new OpenCvSharp.Mat();
            using var dy = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.Sobel(gray, dx, OpenCvSharp.MatType.CV_32F, 1, 0);
            OpenCvSharp.Cv2.Sobel(gray, dy, OpenCvSharp.MatType.CV_32F, 0, 1);
            using var magnitude = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.Magnitude(dx, dy, magnitude);
            OpenCvSharp.Cv2.GaussianBlur(magnitude, magnitude, new OpenCvSharp.Size(0, 0), 2);
            return RgbaMat.Floats(magnitude);
        }

        var x = Edges(a);
        var y = Edges(b);
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
