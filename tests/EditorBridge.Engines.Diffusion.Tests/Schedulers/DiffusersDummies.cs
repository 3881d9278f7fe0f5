using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// The deterministic fixtures of diffusers' scheduler tests (tests/schedulers/test_schedulers.py,
/// SchedulerCommonTest): <c>dummy_sample_deter</c> = arange(768) / 768 and <c>dummy_noise_deter</c> =
/// the same reversed, both shaped (4, 3, 8, 8); <c>dummy_model(sample, t)</c> = sample · t / (t + 1).
/// Every scheduler update is element-wise and the checks are sums and means, so flat arrays in
/// arange order give the same numbers as the permuted tensors.
/// </summary>
internal static class DiffusersDummies
{
    public const int Elements = 4 * 3 * 8 * 8;

    public static float[] Sample() => Enumerable.Range(0, Elements).Select(i => (float)i / Elements).ToArray();

    public static float[] Noise() => Enumerable.Range(0, Elements).Select(i => (float)(Elements - 1 - i) / Elements).ToArray();

    public static float[] Model(float[] sample, float timestep) =>
        sample.Select(x => x * timestep / (timestep + 1f)).ToArray();

    public static double AbsSum(float[] values) => values.Sum(v => Math.Abs((double)v));

    public static double AbsMean(float[] values) => AbsSum(values) / values.Length;

    public static float[] Scaled(float[] values, float factor) => values.Select(v => v * factor).ToArray();

    /// <summary>The loop of diffusers' DDIM/DPM/LCM full_loop tests: no input scaling, step with the model output.</summary>
    public static float[] PlainLoop(IScheduler scheduler, float[] sample, int firstIndex = 0, int seed = 0)
    {
        var noise = new GaussianNoise((ulong)seed);
        for (int i = firstIndex; i < scheduler.Timesteps.Count; i++)
            sample = scheduler.Step(Model(sample, scheduler.Timesteps[i]), i, sample, noise);
        return sample;
    }
}
