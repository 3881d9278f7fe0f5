using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// Euler ancestral draws noise in every step; diffusers' full-loop numbers come from torch's generator,
/// so only the deterministic parts are compared: the grid is Euler's, and a step is an Euler step to
/// σ_down plus σ_up times the next values of the noise source.
/// </summary>
public sealed class EulerAncestralSchedulerTests
{
    [Fact]
    public void Uses_the_same_timesteps_sigmas_and_input_scaling_as_euler()
    {
        var euler = new EulerScheduler(EulerSchedulerTests.DiffusersTestConfig);
        var ancestral = new EulerAncestralScheduler(EulerSchedulerTests.DiffusersTestConfig);
        euler.SetTimesteps(10);
        ancestral.SetTimesteps(10);

        Assert.Equal(euler.Timesteps, ancestral.Timesteps);
        Assert.Equal(euler.Sigmas, ancestral.Sigmas);
        Assert.Equal(euler.InitNoiseSigma, ancestral.InitNoiseSigma);
        Assert.Equal(euler.ScaleModelInput([1f, 2f], 4), ancestral.ScaleModelInput([1f, 2f], 4));
    }

    [Theory]
    [InlineData(14.6146, 10.0)]
    [InlineData(1.0, 0.5)]
    [InlineData(0.5, 0.0)]
    public void Sigma_split_keeps_the_next_noise_level(double from, double to)
    {
        var (down, up) = EulerAncestralScheduler.AncestralSplit(from, to);

        Assert.Equal(to * to, down * down + up * up, 1e-9);
        Assert.InRange(down, 0, to);
    }

    [Fact]
    public void A_step_is_an_euler_step_to_sigma_down_plus_fresh_noise_of_sigma_up()
    {
        var scheduler = new EulerAncestralScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(20);
        float[] sample = DiffusersDummies.Sample();
        float[] output = DiffusersDummies.Model(sample, scheduler.Timesteps[5]);

        float[] next = scheduler.Step(output, 5, sample, new GaussianNoise(42));

        double sigma = scheduler.Sigmas[5];
        var (down, up) = EulerAncestralScheduler.AncestralSplit(sigma, scheduler.Sigmas[6]);
        var noise = new GaussianNoise(42);
        for (int i = 0; i < sample.Length; i++)
        {
            double original = sample[i] - sigma * output[i];
            double expected = sample[i] + (sample[i] - original) / sigma * (down - sigma) + up * noise.Next();
            Assert.Equal(expected, next[i], 1e-4);
        }
    }

    [Fact]
    public void The_last_step_adds_no_noise()
    {
        var scheduler = new EulerAncestralScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(4);
        float[] sample = DiffusersDummies.Sample();
        float[] output = DiffusersDummies.Model(sample, scheduler.Timesteps[3]);

        var first = scheduler.Step(output, 3, sample, new GaussianNoise(1));
        var second = scheduler.Step(output, 3, sample, new GaussianNoise(2));

        Assert.Equal(first, second);
    }
}
