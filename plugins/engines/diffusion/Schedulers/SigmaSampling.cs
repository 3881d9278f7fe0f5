namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>The sigma-space (variance-exploding) operations the Euler samplers share.</summary>
internal static class SigmaSampling
{
    /// <summary>x / √(σ² + 1): the UNet was trained on unit-variance inputs.</summary>
    public static float[] ScaleInput(float[] sample, SigmaGrid grid, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, grid.Timesteps.Length);
        double sigma = grid.Sigmas[stepIndex];
        double scale = 1.0 / Math.Sqrt(sigma * sigma + 1.0);
        var scaled = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
            scaled[i] = (float)(sample[i] * scale);
        return scaled;
    }

    /// <summary>One Euler step of dx/dσ = (x − x₀)/σ from σ to <paramref name="target"/>.</summary>
    public static float[] EulerMove(float[] sample, float[] original, double sigma, double target)
    {
        double dt = target - sigma;
        var moved = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            double derivative = (sample[i] - original[i]) / sigma;
            moved[i] = (float)(sample[i] + derivative * dt);
        }
        return moved;
    }

    /// <summary>x₀ + σ·ε at the step's sigma.</summary>
    public static float[] AddNoise(float[] original, float[] noise, SigmaGrid grid, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, grid.Timesteps.Length);
        ModelPrediction.CheckLengths(noise, original);
        double sigma = grid.Sigmas[stepIndex];
        var noised = new float[original.Length];
        for (int i = 0; i < original.Length; i++)
            noised[i] = (float)(original[i] + noise[i] * sigma);
        return noised;
    }
}
