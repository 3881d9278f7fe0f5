namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Euler (Karras et al. 2022, Algorithm 2 without churn), as diffusers' <c>EulerDiscreteScheduler</c>; default spacing "linspace".</summary>
public sealed class EulerScheduler(SchedulerConfig config) : SigmaGridScheduler(config)
{
    public override string Name => "euler";

    public override float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, Grid.Timesteps.Length);
        double sigma = Grid.Sigmas[stepIndex];
        float[] original = ModelPrediction.FromSigma(modelOutput, sample, sigma, Config.PredictionType);
        return SigmaSampling.EulerMove(sample, original, sigma, Grid.Sigmas[stepIndex + 1]);
    }
}
