namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// What the Euler-family samplers share: the noise schedule, the σ grid of the chosen steps, input
/// scaling by σ and noising for img2img. Each sampler only says how one step moves down the grid.
/// </summary>
public abstract class SigmaGridScheduler : IScheduler
{
    private readonly NoiseSchedule schedule;

    protected SigmaGridScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
    }

    public abstract string Name { get; }

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps => Grid.PublicTimesteps;

    public IReadOnlyList<float> Sigmas => Grid.PublicSigmas;

    public float InitNoiseSigma => (float)Grid.InitNoiseSigma(Config);

    private protected SigmaGrid Grid { get; private set; } = SigmaGrid.Empty;

    public void SetTimesteps(int steps) => Grid = SigmaGrid.Compute(schedule, Config, steps);

    public float[] ScaleModelInput(float[] sample, int stepIndex) => SigmaSampling.ScaleInput(sample, Grid, stepIndex);

    public abstract float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise);

    public float[] AddNoise(float[] original, float[] noise, int stepIndex) => SigmaSampling.AddNoise(original, noise, Grid, stepIndex);

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, Grid.Timesteps.Length);
}
