using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Moves a pasted object's colours toward the background's at the seam: the Lab mean of the
/// background in a ring just outside the object, minus the object's mean in a ring just inside
/// its edge, is added to every object pixel (scaled by the strength).
/// </summary>
internal static class SeamColourMatch
{
    /// <param name="objectBgr">8-bit BGR of the object layer.</param>
    /// <param name="backgroundBgr">8-bit BGR of the background, same size.</param>
    /// <param name="region">8-bit mask, 255 where the object is.</param>
    /// <returns>The object's 8-bit BGR, shifted.</returns>
    public static Mat Apply(Mat objectBgr, Mat backgroundBgr, Mat region, double strength)
    {
        int ring = Math.Max(3, (int)Math.Round(0.03 * Math.Max(region.Cols, region.Rows)));
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(2 * ring + 1, 2 * ring + 1));
        using var grown = new Mat();
        using var shrunk = new Mat();
        Cv2.Dilate(region, grown, kernel);
        Cv2.Erode(region, shrunk, kernel);
        using var outside = new Mat();
        using var inside = new Mat();
        Cv2.Subtract(grown, region, outside);
        Cv2.Subtract(region, shrunk, inside);
        if (Cv2.CountNonZero(outside) == 0 || Cv2.CountNonZero(inside) == 0 || strength == 0)
            return objectBgr.Clone();
        using var objectLab = ColourStatisticsTransfer.Lab(objectBgr);
        using var backgroundLab = ColourStatisticsTransfer.Lab(backgroundBgr);
        var objectMean = Cv2.Mean(objectLab, inside);
        var backgroundMean = Cv2.Mean(backgroundLab, outside);
        var shift = new Scalar(
            strength * (backgroundMean.Val0 - objectMean.Val0),
            strength * (backgroundMean.Val1 - objectMean.Val1),
            strength * (backgroundMean.Val2 - objectMean.Val2));
        Cv2.Add(objectLab, shift, objectLab);
        return ColourStatisticsTransfer.Bgr(objectLab);
    }
}
