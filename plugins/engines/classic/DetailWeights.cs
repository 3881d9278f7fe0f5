using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Where in the hole the copied detail goes: where the surroundings are busy, not where they are smooth. The local
/// energy of the fine detail (squared high-pass of the luma, Gaussian σ <see cref="Sigma"/> around each known pixel)
/// is stretched over the hole as a membrane, and each hole pixel's weight is that predicted deviation to the power
/// <see cref="Power"/>, scaled to a root mean square of 1 over the hole. Copied grain that is not the grain that was
/// there costs SSIM most where the truth is smooth (SSIM's contrast term is C2 / (σx² + σy² + C2)), so the detail
/// is concentrated where the truth most likely has detail of its own. Tuning pictures, exact hole, detail at one
/// gain: power 0 (uniform) SSIM 0.498, 2: 0.509, 4: 0.518, 6: 0.527, 8: 0.533 (docs/classic-engine.md).
/// </summary>
internal static class DetailWeights
{
    /// <summary>Scale over which the surroundings' detail energy is averaged, pixels.</summary>
    public const double Sigma = 4;

    /// <summary>Exponent on the predicted local deviation.</summary>
    public const double Power = 8;

    // Known pixels this close to the hole (chessboard) are left out: their high-pass reaches into the copies.
    private const int Margin = 2;

    /// <summary>width*height weights, RMS 1 over the hole (0 outside it); <paramref name="highPass"/> is the filled picture's luma high-pass.</summary>
    public static float[] Compute(int width, int height, byte[] hole, float[] highPass, CancellationToken cancellationToken)
    {
        int n = width * height;
        var known = new byte[n];
        for (int p = 0; p < n; p++)
            known[p] = hole[p] == 0 ? (byte)1 : (byte)0;
        int[] outside = ChessboardDistance.Compute(width, height, known, cancellationToken);
        var energy = new float[n];
        var counted = new float[n];
        for (int p = 0; p < n; p++)
        {
            if (hole[p] != 0 || outside[p] <= Margin)
                continue;
            energy[p] = highPass[p] * highPass[p];
            counted[p] = 1;
        }
        float[] energySum = Blur(width, height, energy), countedSum = Blur(width, height, counted);
        var unknown = new byte[n];
        var variance = new float[n];
        for (int p = 0; p < n; p++)
        {
            if (counted[p] > 0 && countedSum[p] > 1e-3f)
                variance[p] = energySum[p] / countedSum[p];
            else
                unknown[p] = 1;
        }
        cancellationToken.ThrowIfCancellationRequested();
        HarmonicFill.Membrane(width, height, variance, unknown, cancellationToken);
        float largest = 0;
        for (int p = 0; p < n; p++)
            if (hole[p] != 0)
                largest = Math.Max(largest, variance[p]);
        if (largest <= 0)
            return Uniform(hole);
        var weight = new float[n];
        double squares = 0;
        long count = 0;
        for (int p = 0; p < n; p++)
        {
            if (hole[p] == 0)
                continue;
            double w = Math.Pow(Math.Max(variance[p], 0) / largest, Power / 2);
            weight[p] = (float)w;
            squares += w * w;
            count++;
        }
        if (count == 0 || squares <= 0)
            return Uniform(hole);
        float scale = (float)(1 / Math.Sqrt(squares / count));
        for (int p = 0; p < n; p++)
            weight[p] *= scale;
        return weight;
    }

    private static float[] Uniform(byte[] hole)
    {
        var weight = new float[hole.Length];
        for (int p = 0; p < hole.Length; p++)
            weight[p] = hole[p] != 0 ? 1 : 0;
        return weight;
    }

    private static float[] Blur(int width, int height, float[] values)
    {
        using var source = Mat.FromPixelData(height, width, MatType.CV_32FC1, values);
        using var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(0, 0), Sigma, Sigma, BorderTypes.Replicate);
        var result = new float[values.Length];
        System.Runtime.InteropServices.Marshal.Copy(blurred.Data, result, 0, result.Length);
        return result;
    }
}
