namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Turns the UNet output into a clean-sample estimate for each <c>prediction_type</c>.</summary>
internal static class ModelPrediction
{
    /// <summary>x₀ and ε from the output at a timestep with cumulative alpha <paramref name="alphaProd"/> (DDIM, LCM).</summary>
    public static (float[] Original, float[] Epsilon) FromAlpha(float[] output, float[] sample, double alphaProd, string predictionType)
    {
        CheckLengths(output, sample);
        double a = Math.Sqrt(alphaProd), b = Math.Sqrt(1.0 - alphaProd);
        var original = new float[sample.Length];
        var epsilon = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            double x = sample[i], m = output[i];
            (double x0, double eps) = predictionType switch
            {
                "epsilon" => ((x - b * m) / a, m),
                "sample" => (m, (x - a * m) / b),
                _ => (a * x - b * m, a * m + b * x),
            };
            original[i] = (float)x0;
            epsilon[i] = (float)eps;
        }
        return (original, epsilon);
    }

    /// <summary>x₀ from the output at noise level <paramref name="sigma"/> of the variance-exploding view (Euler samplers).</summary>
    public static float[] FromSigma(float[] output, float[] sample, double sigma, string predictionType)
    {
        CheckLengths(output, sample);
        var original = new float[sample.Length];
        double scale = 1.0 / (sigma * sigma + 1.0);
        double vFactor = -sigma / Math.Sqrt(sigma * sigma + 1.0);
        for (int i = 0; i < sample.Length; i++)
        {
            original[i] = predictionType switch
            {
                "epsilon" => (float)(sample[i] - sigma * output[i]),
                "sample" => output[i],
                _ => (float)(output[i] * vFactor + sample[i] * scale),
            };
        }
        return original;
    }

    public static void CheckLengths(float[] output, float[] sample)
    {
        if (output.Length != sample.Length)
            throw new ArgumentException($"model output has {output.Length} values, the sample {sample.Length}");
    }

    public static void CheckIndex(int stepIndex, int count)
    {
        if (count == 0)
            throw new InvalidOperationException("call SetTimesteps before sampling");
        if (stepIndex < 0 || stepIndex >= count)
            throw new ArgumentOutOfRangeException(nameof(stepIndex), stepIndex, $"step index must be in 0..{count - 1}");
    }

    /// <summary>diffusers' img2img: the last int(steps · strength) steps run.</summary>
    public static int StartIndex(double strength, int steps)
    {
        if (double.IsNaN(strength) || strength < 0 || strength > 1)
            throw new EngineInputException("strength", $"strength must be between 0 and 1, got {strength}");
        int run = Math.Min((int)(steps * strength), steps);
        return steps - run;
    }
}
