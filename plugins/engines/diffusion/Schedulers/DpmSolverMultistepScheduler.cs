namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// DPM-Solver++(2M) with Karras sigmas, as diffusers' <c>DPMSolverMultistepScheduler</c>
/// (algorithm_type "dpmsolver++", solver_order 2, use_karras_sigmas, final_sigmas_type "zero").
/// The sample stays in the variance-preserving view, so the input needs no scaling.
/// </summary>
public sealed class DpmSolverMultistepScheduler : IScheduler
{
    private const double Rho = 7.0;
    private const int AnyStart = -1;
    private readonly NoiseSchedule schedule;
    private double[] timesteps = [];
    private double[] sigmas = [];
    private float[]? previousOriginal;
    private int expectedIndex = AnyStart;

    public DpmSolverMultistepScheduler(SchedulerConfig config)
    {
        Config = config;
        schedule = new NoiseSchedule(config);
    }

    public string Name => "dpmpp_2m_karras";

    public SchedulerConfig Config { get; }

    public IReadOnlyList<float> Timesteps { get; private set; } = [];

    public IReadOnlyList<float> Sigmas { get; private set; } = [];

    public float InitNoiseSigma => 1f;

    public void SetTimesteps(int steps)
    {
        TimestepSpacing.CheckSteps(steps, Config);
        double[] train = schedule.TrainSigmas;
        double[] logSigmas = train.Select(s => Math.Log(s)).ToArray();
        sigmas = new double[steps + 1];
        double maxInverse = Math.Pow(train[^1], 1.0 / Rho), minInverse = Math.Pow(train[0], 1.0 / Rho);
        for (int i = 0; i < steps; i++)
        {
            double ramp = steps == 1 ? 0.0 : (double)i / (steps - 1);
            sigmas[i] = Math.Pow(maxInverse + ramp * (minInverse - maxInverse), Rho);
        }
        timesteps = sigmas.Take(steps).Select(s => Math.Round(SigmaToTimestep(s, logSigmas), MidpointRounding.ToEven)).ToArray();
        Timesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
        Sigmas = Array.AsReadOnly(sigmas.Select(s => (float)s).ToArray());
        previousOriginal = null;
        expectedIndex = AnyStart;
    }

    public float[] ScaleModelInput(float[] sample, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        return (float[])sample.Clone();
    }

    public float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        // The first step after SetTimesteps may be any index (img2img starts late); then they must follow in order.
        if (expectedIndex == AnyStart || stepIndex == 0)
            previousOriginal = null;
        else if (stepIndex != expectedIndex)
            throw new InvalidOperationException($"DPM++ 2M is multistep: steps must run in order (expected {expectedIndex}, got {stepIndex})");
        var (alphaS, sigmaS) = VpScales(sigmas[stepIndex]);
        float[] original = ToOriginal(modelOutput, sample, alphaS, sigmaS);
        // First order on the first step (no history) and on the last (final sigma 0), second order between.
        bool firstOrder = previousOriginal is null || stepIndex == timesteps.Length - 1;
        float[] next = firstOrder
            ? FirstOrder(sample, original, stepIndex)
            : SecondOrder(sample, original, previousOriginal!, stepIndex);
        previousOriginal = original;
        expectedIndex = stepIndex + 1;
        return next;
    }

    public float[] AddNoise(float[] original, float[] noise, int stepIndex)
    {
        ModelPrediction.CheckIndex(stepIndex, timesteps.Length);
        ModelPrediction.CheckLengths(noise, original);
        var (alpha, sigma) = VpScales(sigmas[stepIndex]);
        var noised = new float[original.Length];
        for (int i = 0; i < original.Length; i++)
            noised[i] = (float)(alpha * original[i] + sigma * noise[i]);
        return noised;
    }

    public int StartIndex(double strength) => ModelPrediction.StartIndex(strength, timesteps.Length);

    /// <summary>α_t = 1/√(σ²+1), σ_t = σ·α_t: the variance-preserving scales of a variance-exploding sigma.</summary>
    private static (double Alpha, double Sigma) VpScales(double sigma)
    {
        double alpha = 1.0 / Math.Sqrt(sigma * sigma + 1.0);
        return (alpha, sigma * alpha);
    }

    private static double Lambda(double sigma)
    {
        var (alpha, sigmaT) = VpScales(sigma);
        return Math.Log(alpha) - Math.Log(sigmaT);
    }

    private float[] ToOriginal(float[] output, float[] sample, double alpha, double sigma)
    {
        ModelPrediction.CheckLengths(output, sample);
        var original = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            original[i] = Config.PredictionType switch
            {
                "epsilon" => (float)((sample[i] - sigma * output[i]) / alpha),
                "sample" => output[i],
                _ => (float)(alpha * sample[i] - sigma * output[i]),
            };
        }
        return original;
    }

    private float[] FirstOrder(float[] sample, float[] original, int stepIndex)
    {
        double sigmaFrom = sigmas[stepIndex], sigmaTo = sigmas[stepIndex + 1];
        var (alphaT, sigmaT) = VpScales(sigmaTo);
        var (_, sigmaS) = VpScales(sigmaFrom);
        double h = Lambda(sigmaTo) - Lambda(sigmaFrom);
        double keep = sigmaT / sigmaS, pull = alphaT * (Math.Exp(-h) - 1.0);
        var next = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
            next[i] = (float)(keep * sample[i] - pull * original[i]);
        return next;
    }

    /// <summary>The multistep midpoint update: D0 = x₀ now, D1 = (x₀ now − x₀ before) / r0.</summary>
    private float[] SecondOrder(float[] sample, float[] original, float[] previous, int stepIndex)
    {
        double sigmaTo = sigmas[stepIndex + 1], sigmaS0 = sigmas[stepIndex], sigmaS1 = sigmas[stepIndex - 1];
        var (alphaT, sigmaT) = VpScales(sigmaTo);
        var (_, sigmaS) = VpScales(sigmaS0);
        double h = Lambda(sigmaTo) - Lambda(sigmaS0);
        double r0 = (Lambda(sigmaS0) - Lambda(sigmaS1)) / h;
        double keep = sigmaT / sigmaS, pull = alphaT * (Math.Exp(-h) - 1.0);
        var next = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            double d1 = (original[i] - previous[i]) / r0;
            next[i] = (float)(keep * sample[i] - pull * original[i] - 0.5 * pull * d1);
        }
        return next;
    }

    /// <summary>diffusers' _sigma_to_t: interpolate the timestep linearly in log-sigma between training steps.</summary>
    private static double SigmaToTimestep(double sigma, double[] logSigmas)
    {
        double logSigma = Math.Log(Math.Max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.Length; i++)
        {
            if (logSigma - logSigmas[i] >= 0)
                low = i;
        }
        low = Math.Min(low, logSigmas.Length - 2);
        double weight = (logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[low + 1]);
        weight = Math.Clamp(weight, 0.0, 1.0);
        return (1.0 - weight) * low + weight * (low + 1);
    }
}
