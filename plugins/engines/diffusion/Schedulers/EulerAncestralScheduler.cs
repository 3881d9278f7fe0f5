namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// Euler ancestral, as diffusers' <c>EulerAncestralDiscreteScheduler</c>: each step goes down to
/// σ_down with Euler and adds fresh noise of σ_up, where σ_down² + σ_up² = σ_next².
/// </summary>
public sealed class EulerAncestralScheduler(SchedulerConfig config) : SigmaGridScheduler(config)
{
    public override string Name => "euler_a";

    public override float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, Grid.Timesteps.Length);
        ArgumentNullException.ThrowIfNull(noise);
        double sigma = Grid.Sigmas[stepIndex], next = Grid.Sigmas[stepIndex + 1];
        var (down, up) = AncestralSplit(sigma, next);
        float[] original = ModelPrediction.FromSigma(modelOutput, sample, sigma, Config.PredictionType);
        float[] moved = SigmaSampling.EulerMove(sample, original, sigma, down);
        for (int i = 0; i < moved.Length; i++)
            moved[i] = (float)(moved[i] + noise.Next() * up);
        return moved;
    }

    /// <summary>σ_up = √(σ_to²(σ_from² − σ_to²)/σ_from²), σ_down = √(σ_to² − σ_up²).</summary>
    internal static (double Down, double Up) AncestralSplit(double from, double to)
    {
        double up = Math.Sqrt(to * to * (from * from - to * to) / (from * from));
        double down = Math.Sqrt(Math.Max(to * to - up * up, 0.0));
        return (down, up);
    }
}
