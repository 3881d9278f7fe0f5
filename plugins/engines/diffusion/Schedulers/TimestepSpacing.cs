namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>How a sampler picks its steps among the training timesteps (diffusers' <c>timestep_spacing</c>).</summary>
internal static class TimestepSpacing
{
    /// <summary>Timesteps, noisiest first, as diffusers' DDIM/Euler compute them.</summary>
    /// <param name="round">DDIM rounds linspace to integers; Euler keeps the fractions.</param>
    public static double[] Compute(string spacing, int steps, SchedulerConfig config, bool round)
    {
        int train = config.NumTrainTimesteps;
        double[] values = spacing switch
        {
            "linspace" => Enumerable.Range(0, steps)
                .Select(i => steps == 1 ? 0.0 : i * (train - 1.0) / (steps - 1))
                .Select(v => round ? Math.Round(v, MidpointRounding.ToEven) : v)
                .ToArray(),
            "leading" => Enumerable.Range(0, steps).Select(i => (double)(i * (train / steps) + config.StepsOffset)).ToArray(),
            "trailing" => Trailing(train, steps),
            _ => throw new EngineInputException("scheduler", $"timestep_spacing '{spacing}' is not supported (leading, trailing, linspace)"),
        };
        Array.Reverse(values);
        return values;
    }

    /// <summary>Steps needed before anything runs; SetTimesteps refuses fewer than one or more than the training steps.</summary>
    public static void CheckSteps(int steps, SchedulerConfig config)
    {
        if (steps < 1 || steps > config.NumTrainTimesteps)
            throw new EngineInputException("steps", $"steps must be between 1 and {config.NumTrainTimesteps}, got {steps}");
    }

    /// <summary>numpy's round(arange(T, 0, -T/n)) - 1, ascending.</summary>
    private static double[] Trailing(int train, int steps)
    {
        double ratio = (double)train / steps;
        var values = new List<double>();
        for (int i = 0; i < steps; i++)
            values.Add(Math.Round(train - i * ratio, MidpointRounding.ToEven) - 1);
        values.Reverse();
        return values.ToArray();
    }
}
