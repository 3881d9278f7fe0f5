namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>DDIM with η = 0 (deterministic), as diffusers' <c>DDIMScheduler</c>; default spacing "leading".</summary>
public sealed class DdimScheduler(SchedulerConfig config) : AlphaScheduleScheduler(config)
{
    public override string Name => "ddim";

    private protected override int[] PickTimesteps(int steps)
    {
        TimestepSpacing.CheckSteps(steps, Config);
        return TimestepSpacing.Compute(Config.TimestepSpacing ?? "leading", steps, Config, round: true)
            .Select(t => (int)t).ToArray();
    }

    public override float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, StepTimesteps.Length);
        int t = StepTimesteps[stepIndex];
        // diffusers steps back by T / n whatever the spacing, not to the next listed timestep.
        int previous = t - Config.NumTrainTimesteps / StepTimesteps.Length;
        double alphaProd = Schedule.AlphasCumprod[t];
        double alphaPrev = Schedule.AlphaAt(previous, FinalAlphaCumprod);
        var (original, epsilon) = ModelPrediction.FromAlpha(modelOutput, sample, alphaProd, Config.PredictionType);
        if (Config.ClipSample)
            ClipAndRecomputeEpsilon(original, epsilon, sample, alphaProd);
        double a = Math.Sqrt(alphaPrev), direction = Math.Sqrt(1.0 - alphaPrev);
        var previousSample = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
            previousSample[i] = (float)(a * original[i] + direction * epsilon[i]);
        return previousSample;
    }

    private void ClipAndRecomputeEpsilon(float[] original, float[] epsilon, float[] sample, double alphaProd)
    {
        float range = (float)Config.ClipSampleRange;
        double a = Math.Sqrt(alphaProd), b = Math.Sqrt(1.0 - alphaProd);
        for (int i = 0; i < original.Length; i++)
        {
            original[i] = Math.Clamp(original[i], -range, range);
            epsilon[i] = (float)((sample[i] - a * original[i]) / b);
        }
    }
}
