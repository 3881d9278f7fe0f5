using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Finds the subject around a box or a click point with OpenCV's GrabCut (Rother et al.: colour
/// models of subject and background, refined by graph cuts). A box says "the subject is inside,
/// the rest is background". A point says "the subject is here": a small disc around it is certain,
/// everything else probably subject except the work area's outer frame, which is background (the
/// whole area as the box); afterwards only the part connected to the point is kept. Pixels marked as outside (a selection's outside, transparent
/// pixels) are certain background.
/// </summary>
internal static class GrabCutSegmenter
{
    /// <param name="bgr">8-bit BGR.</param>
    /// <param name="outside">Pixels (non-zero) that cannot belong to the subject, or null.</param>
    /// <param name="box">The subject's box, or null for a point.</param>
    /// <returns>Coverage, 255 for the subject.</returns>
    /// <param name="progress">(rounds done, rounds) after each GrabCut round, or null.</param>
    public static byte[] Segment(Mat bgr, byte[]? outside, Point point, Rect? box, int iterations, CancellationToken cancellationToken,
                                 Action<int, int>? progress = null)
    {
        int width = bgr.Cols, height = bgr.Rows;
        var labels = new byte[width * height];
        if (box is { } rect)
        {
            Array.Fill(labels, (byte)GrabCutClasses.BGD);
            for (int y = rect.Top; y < rect.Bottom; y++)
                labels.AsSpan(y * width + rect.Left, rect.Width).Fill((byte)GrabCutClasses.PR_FGD);
        }
        else
        {
            double side = Math.Min(width, height);
            double sure = Math.Max(2, 0.02 * side);
            int frame = Math.Max(1, (int)Math.Round(0.01 * side));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double d = Math.Sqrt((x - point.X) * (x - point.X) + (y - point.Y) * (y - point.Y));
                    bool edge = x < frame || y < frame || x >= width - frame || y >= height - frame;
                    labels[y * width + x] = d <= sure ? (byte)GrabCutClasses.FGD
                        : edge ? (byte)GrabCutClasses.BGD
                        : (byte)GrabCutClasses.PR_FGD;
                }
        }

        if (outside is not null)
        {
            for (int p = 0; p < labels.Length; p++)
            {
                if (outside[p] != 0)
                    labels[p] = (byte)GrabCutClasses.BGD;
            }
        }

        if (!labels.Any(l => l == (byte)GrabCutClasses.BGD || l == (byte)GrabCutClasses.PR_BGD)
            || !labels.Any(l => l == (byte)GrabCutClasses.FGD || l == (byte)GrabCutClasses.PR_FGD))
            return labels.Select(l => l is (byte)GrabCutClasses.FGD or (byte)GrabCutClasses.PR_FGD ? (byte)255 : (byte)0).ToArray();

        using var mask = Mat.FromPixelData(height, width, MatType.CV_8UC1, labels);
        using var backgroundModel = new Mat();
        using var foregroundModel = new Mat();
        Cv2.GrabCut(bgr, mask, default, backgroundModel, foregroundModel, 1, GrabCutModes.InitWithMask);
        progress?.Invoke(1, iterations);
        for (int i = 1; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Cv2.GrabCut(bgr, mask, default, backgroundModel, foregroundModel, 1, GrabCutModes.Eval);
            progress?.Invoke(i + 1, iterations);
        }

        var result = RgbaMat.Bytes(mask);
        for (int p = 0; p < result.Length; p++)
            result[p] = result[p] is (byte)GrabCutClasses.FGD or (byte)GrabCutClasses.PR_FGD ? (byte)255 : (byte)0;
        return box is null ? ConnectedTo(result, width, height, point) : result;
    }

    // Keeps the subject's part that touches the clicked point.
    private static byte[] ConnectedTo(byte[] subject, int width, int height, Point point)
    {
        using var mask = Mat.FromPixelData(height, width, MatType.CV_8UC1, subject);
        using var components = new Mat();
        Cv2.ConnectedComponents(mask, components, PixelConnectivity.Connectivity8, MatType.CV_32S);
        int label = components.At<int>(point.Y, point.X);
        if (label == 0)
            return subject;
        var result = new byte[subject.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                result[y * width + x] = components.At<int>(y, x) == label ? (byte)255 : (byte)0;
        return result;
    }
}
