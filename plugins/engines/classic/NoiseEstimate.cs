using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Standard deviation of additive white noise, from one picture: Immerkær's fast estimator
/// ("Fast noise variance estimation", CVIU 1996), the mean absolute response of a Laplacian
/// difference mask that cancels smooth content, averaged over the colour channels.
/// </summary>
internal static class NoiseEstimate
{
    public static double Sigma(Mat bgr)
    {
        if (bgr.Rows < 3 || bgr.Cols < 3)
            return 0;
        using var kernel = Mat.FromPixelData(3, 3, MatType.CV_32FC1, new float[] { 1, -2, 1, -2, 4, -2, 1, -2, 1 });
        using var values = new Mat();
        bgr.ConvertTo(values, MatType.CV_32FC3);
        using var response = new Mat();
        Cv2.Filter2D(values, response, MatType.CV_32FC3, kernel, borderType: BorderTypes.Reflect101);
        using var inner = new Mat(response, new Rect(1, 1, bgr.Cols - 2, bgr.Rows - 2));
        using var magnitude = new Mat();
        Cv2.Absdiff(inner, Scalar.All(0), magnitude);
        var mean = Cv2.Mean(magnitude);
        double perChannel = (mean.Val0 + mean.Val1 + mean.Val2) / 3;
        return Math.Sqrt(Math.PI / 2) * perChannel / 6;
    }
}
