namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Timesteps and their sigmas for the Euler samplers (diffusers' interpolated, non-Karras grid).</summary>
internal sealed class SigmaGrid
{
    private SigmaGrid(double[] timesteps, double[] sigmas)
    {
        Timesteps = timesteps;
        Sigmas = sigmas;
        PublicTimesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
        PublicSigmas = Array.AsReadOnly(sigmas.Select(s => (float)s).ToArray());
    }

    public double[] Timesteps { get; }

    /// <summary>One per timestep, then a final 0.</summary>
    public double[] Sigmas { get; }

    /// <summary>The values the scheduler shows (single precision, read-only).</summary>
    public IReadOnlyList<float> PublicTimesteps { get; }

    public IReadOnlyList<float> PublicSigmas { get; }

    public static SigmaGrid Empty { get; } = new([], []);

    public static SigmaGrid Compute(NoiseSchedule schedule, SchedulerConfig config, int steps)
    {
        TimestepSpacing.CheckSteps(steps, config);
        double[] timesteps = TimestepSpacing.Compute(config.TimestepSpacing ?? "linspace", steps, config, round: false);
        var sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++)
            sigmas[i] = Interpolate(schedule.TrainSigmas, timesteps[i]);
        return new SigmaGrid(timesteps, sigmas);
    }

    /// <summary>diffusers: √(σ_max² + 1) for "leading" spacing, σ_max otherwise.</summary>
    public double InitNoiseSigma(SchedulerConfig config)
    {
        if (Sigmas.Length == 0)
            return 1.0;
        double max = Sigmas.Max();
        return (config.TimestepSpacing ?? "linspace") is "linspace" or "trailing" ? max : Math.Sqrt(max * max + 1.0);
    }

    /// <summary>np.interp over integer positions 0..N-1.</summary>
    private static double Interpolate(double[] values, double position)
    {
        if (position <= 0)
            return values[0];
        if (position >= values.Length - 1)
            return values[^1];
        int low = (int)Math.Floor(position);
        double fraction = position - low;
        return values[low] + fraction * (values[low + 1] - values[low]);
    }
}
