namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// Latent consistency model sampling, as diffusers' <c>LCMScheduler</c>: each step predicts the clean
/// sample through the consistency boundary conditions, then re-noises it to the next timestep
/// (fresh noise, except after the last step, which returns the clean prediction).
/// </summary>
public sealed class LcmScheduler(SchedulerConfig config) : AlphaScheduleScheduler(config)
{
    private const double SigmaData = 0.5;

    public override string Name => "lcm";

    /// <summary>Picks <paramref name="steps"/> evenly spaced points of the distillation's grid (k·c − 1, c = T / original steps), noisiest first.</summary>
    private protected override int[] PickTimesteps(int steps)
    {
        int original = Config.OriginalInferenceSteps;
        if (steps < 1 || steps > original)
            throw new EngineInputException("steps", $"LCM takes between 1 and {original} steps (original_inference_steps), got {steps}");
        int stride = Config.NumTrainTimesteps / original;
        int[] grid = Enumerable.Range(1, original).Select(k => k * stride - 1).Reverse().ToArray();
        return Enumerable.Range(0, steps)
            .Select(i => grid[(int)Math.Floor((double)i * original / steps)])
            .ToArray();
    }

    public override float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, StepTimesteps.Length);
        ArgumentNullException.ThrowIfNull(noise);
        int t = StepTimesteps[stepIndex];
        bool last = stepIndex == StepTimesteps.Length - 1;
        var (skip, output) = BoundaryScalings(t);
        var (original, _) = ModelPrediction.FromAlpha(modelOutput, sample, Schedule.AlphasCumprod[t], Config.PredictionType);
        var denoised = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            float x0 = Config.ClipSample ? Math.Clamp(original[i], -(float)Config.ClipSampleRange, (float)Config.ClipSampleRange) : original[i];
            denoised[i] = (float)(output * x0 + skip * sample[i]);
        }
        if (last)
            return denoised;
        double alphaPrev = Schedule.AlphaAt(StepTimesteps[stepIndex + 1], FinalAlphaCumprod);
        double a = Math.Sqrt(alphaPrev), b = Math.Sqrt(1.0 - alphaPrev);
        for (int i = 0; i < denoised.Length; i++)
            denoised[i] = (float)(a * denoised[i] + b * noise.Next());
        return denoised;
    }

    /// <summary>c_skip = σ_d² / ((t·s)² + σ_d²), c_out = t·s / √((t·s)² + σ_d²) with s = timestep_scaling.</summary>
    internal (double Skip, double Out) BoundaryScalings(int timestep)
    {
        double scaled = timestep * Config.TimestepScaling;
        double skip = SigmaData * SigmaData / (scaled * scaled + SigmaData * SigmaData);
        double output = scaled / Math.Sqrt(scaled * scaled + SigmaData * SigmaData);
        return (skip, output);
    }
}
