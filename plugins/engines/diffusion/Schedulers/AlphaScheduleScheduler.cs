namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// What the ᾱ-based samplers (DDIM, LCM) share: the noise schedule, the integer timesteps of the
/// chosen steps, unscaled model input and noising for img2img. Each sampler only says which
/// timesteps it picks and how one step moves between them.
/// </summary>
public abstract class AlphaScheduleScheduler : IScheduler
{
    protected AlphaScheduleScheduler(SchedulerConfig config)
    {
        Config = config;
        Schedule = new NoiseSchedule(config);
        FinalAlphaCumprod = config.SetAlphaToOne ? 1.0 : Schedule.AlphasCumprod[0];
    }

    public abstract string Name { get; }

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps { get; private set; } = [];

    public IReadOnlyList<float> Sigmas => [];

    public float InitNoiseSigma => 1f;

    private protected NoiseSchedule Schedule { get; }

    /// <summary>ᾱ "before" the first training step: 1 with set_alpha_to_one, else ᾱ₀.</summary>
    private protected double FinalAlphaCumprod { get; }

    private protected int[] StepTimesteps { get; private set; } = [];

    public void SetTimesteps(int steps)
    {
        StepTimesteps = PickTimesteps(steps);
        Timesteps = Array.AsReadOnly(StepTimesteps.Select(t => (float)t).ToArray());
    }

    public float[] ScaleModelInput(float[] sample, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, StepTimesteps.Length);
        return (float[])sample.Clone();
    }

    public abstract float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise);

    public float[] AddNoise(float[] original, float[] noise, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, StepTimesteps.Length);
        return DiffusionNoising.Add(original, noise, Schedule.AlphasCumprod[StepTimesteps[stepIndex]]);
    }

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, StepTimesteps.Length);

    /// <summary>The training timesteps the <paramref name="steps"/> steps visit, noisiest first.</summary>
    private protected abstract int[] PickTimesteps(int steps);
}
