namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>DDIM with η = 0 (deterministic), as diffusers' <c>DDIMScheduler</c>; default spacing "leading".</summary>
public sealed class DdimScheduler : IScheduler
{
    private readonly NoiseSchedule schedule;
    private readonly double finalAlphaCumprod;
    private int[] timesteps = [];

    public DdimScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
        finalAlphaCumprod = config.SetAlphaToOne ? 1.0 : schedule.AlphasCumprod[0];
    }

    public string Name => "ddim";

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps { get; private set; } = [];

    public IReadOnlyList<float> Sigmas => [];

    public float InitNoiseSigma => 1f;

    public void SetTimesteps(int steps)
    {
        TimestepSpacing.CheckSteps(steps, Config);
        timesteps = TimestepSpacing.Compute(Config.TimestepSpacing ?? "leading", steps, Config, round: true)
            .Select(t => (int)t).ToArray();
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
        int t = timesteps[stepIndex];
        // diffusers steps back by T / n whatever the spacing, not to the next listed timestep.
        int previous = t - Config.NumTrainTimesteps / timesteps.Length;
        double alphaProd = schedule.AlphasCumprod[t];
        double alphaPrev = schedule.AlphaAt(previous, finalAlphaCumprod);
        var (original, epsilon) = ModelPrediction.FromAlpha(modelOutput, sample, alphaProd, Config.PredictionType);
        if (Config.ClipSample)
            ClipAndRecomputeEpsilon(original, epsilon, sample, alphaProd);
        double a = Math.Sqrt(alphaPrev), direction = Math.Sqrt(1.0 - alphaPrev);
        var previousSample = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
            previousSample[i] = (float)(a * original[i] + direction * epsilon[i]);
        return previousSample;
    }

    public float[] AddNoise(float[] original, float[] noise, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        return DiffusionNoising.Add(original, noise, schedule.AlphasCumprod[timesteps[stepIndex]]);
    }

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, timesteps.Length);

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
