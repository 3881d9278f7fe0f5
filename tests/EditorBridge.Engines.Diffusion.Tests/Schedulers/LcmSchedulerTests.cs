using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// Reference numbers from huggingface/diffusers tests/schedulers/test_scheduler_lcm.py (LCMSchedulerTest,
/// file version at commit 0dd2a829): num_train_timesteps 1000, beta 0.00085–0.012 scaled_linear,
/// epsilon, LCMScheduler's defaults otherwise (original_inference_steps 50, timestep_scaling 10).
/// The multistep loop re-noises with torch's generator, so only the one-step loop is compared by value.
/// </summary>
public sealed class LcmSchedulerTests
{
    private static readonly SchedulerConfig DiffusersTestConfig = new(StepsOffset: 0, SetAlphaToOne: true);

    [Fact]
    public void One_step_loop_matches_diffusers() // test_full_loop_onestep
    {
        var scheduler = new LcmScheduler(DiffusersTestConfig);
        scheduler.SetTimesteps(1);

        var sample = DiffusersDummies.PlainLoop(scheduler, DiffusersDummies.Sample());

        Assert.Equal([999f], scheduler.Timesteps);
        Assert.Equal(18.7097, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(0.0244, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Theory]
    // test_inference_steps uses the last timestep of each schedule: 99 for 10 steps, 39 for 25, 19 for 50.
    [InlineData(10, 99)]
    [InlineData(25, 39)]
    [InlineData(50, 19)]
    public void Schedules_end_where_diffusers_schedules_end(int steps, float last)
    {
        var scheduler = new LcmScheduler(DiffusersTestConfig);
        scheduler.SetTimesteps(steps);

        Assert.Equal(steps, scheduler.Timesteps.Count);
        Assert.Equal(999f, scheduler.Timesteps[0]);
        Assert.Equal(last, scheduler.Timesteps[^1]);
        Assert.Empty(scheduler.Sigmas);
    }

    [Fact]
    public void Four_steps_use_the_usual_lcm_timesteps()
    {
        // LCM's 4-step schedule over the 50-step distillation grid: [999, 759, 499, 259].
        var scheduler = new LcmScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(4);

        Assert.Equal([999f, 759f, 499f, 259f], scheduler.Timesteps);
    }

    [Fact]
    public void Middle_steps_renoise_with_the_given_noise_and_the_last_does_not()
    {
        var scheduler = new LcmScheduler(DiffusersTestConfig);
        scheduler.SetTimesteps(4);
        var sample = DiffusersDummies.Sample();
        var output = DiffusersDummies.Model(sample, scheduler.Timesteps[0]);

        Assert.Equal(scheduler.Step(output, 0, sample, new GaussianNoise(3)), scheduler.Step(output, 0, sample, new GaussianNoise(3)));
        Assert.NotEqual(scheduler.Step(output, 0, sample, new GaussianNoise(3)), scheduler.Step(output, 0, sample, new GaussianNoise(4)));
        Assert.Equal(scheduler.Step(output, 3, sample, new GaussianNoise(3)), scheduler.Step(output, 3, sample, new GaussianNoise(4)));
    }

    [Fact]
    public void More_steps_than_the_distillation_grid_are_refused()
    {
        var scheduler = new LcmScheduler(SchedulerConfig.StableDiffusion15);

        var error = Assert.Throws<EngineInputException>(() => scheduler.SetTimesteps(51));

        Assert.Equal("steps", error.Field);
        Assert.Contains("50", error.Message);
    }
}
