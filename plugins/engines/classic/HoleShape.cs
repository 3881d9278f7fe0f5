using EditorBridge.Engines;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>Measures a hole: how far its innermost pixel is from known pixels.</summary>
internal static class HoleShape
{
    public static double InscribedRadius(EngineMask mask)
    {
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        using var padded = new Mat();
        // The work area's border is not known pixels' edge: pad with "hole" so it does not count.
        Cv2.CopyMakeBorder(hole, padded, 1, 1, 1, 1, BorderTypes.Constant, Scalar.All(0));
        using var distance = new Mat();
        Cv2.DistanceTransform(padded, distance, DistanceTypes.L2, DistanceTransformMasks.Mask5);
        Cv2.MinMaxLoc(distance, out _, out double max);
        return max;
    }
}
