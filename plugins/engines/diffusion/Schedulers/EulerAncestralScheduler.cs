namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// Euler ancestral, as diffusers' <c>EulerAncestralDiscreteScheduler</c>: each step goes down to
/// σ_down with Euler and adds fresh noise of σ_up, where σ_down² + σ_up² = σ_next².
/// </summary>
public sealed class EulerAncestralScheduler : IScheduler
{
    private readonly NoiseSchedule schedule;
    private SigmaGrid grid = SigmaGrid.Empty;

    public EulerAncestralScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
    }

    public string Name => "euler_a";

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps => grid.PublicTimesteps;

    public IReadOnlyList<float> Sigmas => grid.PublicSigmas;

    public float InitNoiseSigma => (float)grid.InitNoiseSigma(Config);

    public void SetTimesteps(int steps) => grid = SigmaGrid.Compute(schedule, Config, steps);

    public float[] ScaleModelInput(float[] sample, int stepIndex) => SigmaSampling.ScaleInput(sample, grid, stepIndex);

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, grid.Timesteps.Length);
        ArgumentNullException.ThrowIfNull(noise);
        double sigma = grid.Sigmas[stepIndex], next = grid.Sigmas[stepIndex + 1];
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

    public float[] AddNoise(float[] original, float[] noise, int stepIndex) => SigmaSampling.AddNoise(original, noise, grid, stepIndex);

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, grid.Timesteps.Length);
}
