namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Euler (Karras et al. 2022, Algorithm 2 without churn), as diffusers' <c>EulerDiscreteScheduler</c>; default spacing "linspace".</summary>
public sealed class EulerScheduler : IScheduler
{
    private readonly NoiseSchedule schedule;
    private SigmaGrid grid = SigmaGrid.Empty;

    public EulerScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
    }

    public string Name => "euler";

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps => grid.PublicTimesteps;

    public IReadOnlyList<float> Sigmas => grid.PublicSigmas;

    public float InitNoiseSigma => (float)grid.InitNoiseSigma(Config);

    public void SetTimesteps(int steps) => grid = SigmaGrid.Compute(schedule, Config, steps);

    public float[] ScaleModelInput(float[] sample, int stepIndex) => SigmaSampling.ScaleInput(sample, grid, stepIndex);

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, grid.Timesteps.Length);
        double sigma = grid.Sigmas[stepIndex];
        float[] original = ModelPrediction.FromSigma(modelOutput, sample, sigma, Config.PredictionType);
        return SigmaSampling.EulerMove(sample, original, sigma, grid.Sigmas[stepIndex + 1]);
    }

    public float[] AddNoise(float[] original, float[] noise, int stepIndex) => SigmaSampling.AddNoise(original, noise, grid, stepIndex);

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, grid.Timesteps.Length);
}
