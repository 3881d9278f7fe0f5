namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// Latent consistency model sampling, as diffusers' <c>LCMScheduler</c>: each step predicts the clean
/// sample through the consistency boundary conditions, then re-noises it to the next timestep
/// (fresh noise, except after the last step, which returns the clean prediction).
/// </summary>
public sealed class LcmScheduler : IScheduler
{
    private const double SigmaData = 0.5;
    private readonly NoiseSchedule schedule;
    private readonly double finalAlphaCumprod;
    private int[] timesteps = [];

    public LcmScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
        finalAlphaCumprod = config.SetAlphaToOne ? 1.0 : schedule.AlphasCumprod[0];
    }

    public string Name => "lcm";

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps { get; private set; } = [];

    public IReadOnlyList<float> Sigmas => [];

    public float InitNoiseSigma => 1f;

    /// <summary>Picks <paramref name="steps"/> evenly spaced points of the distillation's grid (k·c − 1, c = T / original steps), noisiest first.</summary>
    public void SetTimesteps(int steps)
    {
        int original = Config.OriginalInferenceSteps;
        if (steps < 1 || steps > original)
            throw new EngineInputException("steps", $"LCM takes between 1 and {original} steps (original_inference_steps), got {steps}");
        int stride = Config.NumTrainTimesteps / original;
        int[] grid = Enumerable.Range(1, original).Select(k => k * stride - 1).Reverse().ToArray();
        timesteps = Enumerable.Range(0, steps)
            .Select(i => grid[(int)Math.Floor((double)i * original / steps)])
            .ToArray();
        Timesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
    }

    public float[] ScaleModelInput(float[] sample, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        return (float[])sample.Clone();
    }

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        ArgumentNullException.ThrowIfNull(noise);
        int t = timesteps[stepIndex];
        bool last = stepIndex == timesteps.Length - 1;
        var (skip, output) = BoundaryScalings(t);
        var (original, _) = ModelPrediction.FromAlpha(modelOutput, sample, schedule.AlphasCumprod[t], Config.PredictionType);
        var denoised = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            float x0 = Config.ClipSample ? Math.Clamp(original[i], -(float)Config.ClipSampleRange, (float)Config.ClipSampleRange) : original[i];
            denoised[i] = (float)(output * x0 + skip * sample[i]);
        }
        if (last)
            return denoised;
        double alphaPrev = schedule.AlphaAt(timesteps[stepIndex + 1], finalAlphaCumprod);
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

    public float[] AddNoise(float[] original, float[] noise, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        return DiffusionNoising.Add(original, noise, schedule.AlphasCumprod[timesteps[stepIndex]]);
    }

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, timesteps.Length);
}
