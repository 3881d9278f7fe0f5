namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Forward noising q(x_t | x₀) of the variance-preserving view: √ᾱ·x₀ + √(1−ᾱ)·ε.</summary>
internal static class DiffusionNoising
{
    public static float[] Add(float[] original, float[] noise, double alphaProd)
    {
        ModelPrediction.CheckLengths(noise, original);
        double a = Math.Sqrt(alphaProd), b = Math.Sqrt(1.0 - alphaProd);
        var noised = new float[original.Length];
        for (int i = 0; i < original.Length; i++)
            noised[i] = (float)(a * original[i] + b * noise[i]);
        return noised;
    }
}
