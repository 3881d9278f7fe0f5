namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>The training schedule shared by every sampler: betas, cumulative alphas and the matching sigmas.</summary>
internal sealed class NoiseSchedule
{
    public NoiseSchedule(SchedulerConfig config)
    {
        config.Validated("scheduler configuration");
        int count = config.NumTrainTimesteps;
        AlphasCumprod = new double[count];
        // Single precision like diffusers (torch float32 linspace and cumprod), so results match its numbers.
        float product = 1f;
        for (int t = 0; t < count; t++)
        {
            product *= 1f - (float)Beta(config, t, count);
            AlphasCumprod[t] = product;
        }
        TrainSigmas = AlphasCumprod.Select(a => Math.Sqrt((1.0 - a) / a)).ToArray();
    }

    public double[] AlphasCumprod { get; }

    /// <summary>sqrt((1 - ᾱ) / ᾱ) per training timestep: the noise level of the variance-exploding view.</summary>
    public double[] TrainSigmas { get; }

    /// <summary>ᾱ at a timestep, or <paramref name="final"/> before the first one (t &lt; 0).</summary>
    public double AlphaAt(int timestep, double final) => timestep >= 0 ? AlphasCumprod[timestep] : final;

    private static double Beta(SchedulerConfig config, int t, int count)
    {
        double position = (double)t / (count - 1);
        if (config.BetaSchedule == "linear")
            return config.BetaStart + position * (config.BetaEnd - config.BetaStart);
        // scaled_linear: linear in sqrt(beta), as Stable Diffusion was trained.
        double root = Math.Sqrt(config.BetaStart) + position * (Math.Sqrt(config.BetaEnd) - Math.Sqrt(config.BetaStart));
        return root * root;
    }
}
