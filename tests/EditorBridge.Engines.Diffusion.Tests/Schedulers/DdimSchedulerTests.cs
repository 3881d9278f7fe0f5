using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// Reference numbers from huggingface/diffusers tests/schedulers/test_scheduler_ddim.py
/// (DDIMSchedulerTest, file version at commit 1cf1528a): config num_train_timesteps 1000,
/// beta 0.0001–0.02 linear, clip_sample true, and DDIMScheduler's defaults for the rest (steps_offset 0,
/// set_alpha_to_one true), η = 0, 10 steps.
/// diffusers checks sums to 1e-2 and means to 1e-3; so do these tests.
/// </summary>
public sealed class DdimSchedulerTests
{
    private static readonly SchedulerConfig DiffusersTestConfig = new(
        NumTrainTimesteps: 1000, BetaStart: 0.0001, BetaEnd: 0.02, BetaSchedule: "linear", ClipSample: true, StepsOffset: 0, SetAlphaToOne: true);

    private static float[] FullLoop(SchedulerConfig config)
    {
        var scheduler = new DdimScheduler(config);
        scheduler.SetTimesteps(10);
        return DiffusersDummies.PlainLoop(scheduler, DiffusersDummies.Sample());
    }

    [Fact]
    public void Full_loop_matches_diffusers() // test_full_loop_no_noise
    {
        var sample = FullLoop(DiffusersTestConfig);

        Assert.Equal(172.0067, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(0.223967, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Full_loop_with_v_prediction_matches_diffusers() // test_full_loop_with_v_prediction
    {
        var sample = FullLoop(DiffusersTestConfig with { PredictionType = "v_prediction" });

        Assert.Equal(52.5302, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(0.0684, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Theory]
    // test_full_loop_with_set_alpha_to_one / test_full_loop_with_no_set_alpha_to_one (beta_start 0.01).
    [InlineData(true, 149.8295, 0.1951)]
    [InlineData(false, 149.0784, 0.1941)]
    public void Final_alpha_setting_matches_diffusers(bool setAlphaToOne, double sum, double mean)
    {
        var sample = FullLoop(DiffusersTestConfig with { SetAlphaToOne = setAlphaToOne, BetaStart = 0.01 });

        Assert.Equal(sum, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(mean, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Img2img_start_from_added_noise_matches_diffusers() // test_full_loop_with_noise, t_start = 8
    {
        var scheduler = new DdimScheduler(DiffusersTestConfig);
        scheduler.SetTimesteps(10);
        var noised = scheduler.AddNoise(DiffusersDummies.Sample(), DiffusersDummies.Noise(), 8);

        var sample = DiffusersDummies.PlainLoop(scheduler, noised, firstIndex: 8);

        Assert.Equal(354.5418, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(0.4616, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Leading_spacing_adds_the_steps_offset() // test_steps_offset: 5 steps, steps_offset 1
    {
        var scheduler = new DdimScheduler(DiffusersTestConfig with { StepsOffset = 1 });
        scheduler.SetTimesteps(5);

        Assert.Equal([801f, 601f, 401f, 201f, 1f], scheduler.Timesteps);
        Assert.Empty(scheduler.Sigmas);
        Assert.Equal(1f, scheduler.InitNoiseSigma);
    }

    [Fact]
    public void Stable_diffusion_15_runs_50_leading_steps_from_981_to_1()
    {
        // SD 1.5's scheduler_config.json: steps_offset 1, no timestep_spacing → DDIM's "leading":
        // (arange(50) * 1000 // 50)[::-1] + 1.
        var scheduler = new DdimScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(50);

        Assert.Equal(50, scheduler.Timesteps.Count);
        Assert.Equal(981f, scheduler.Timesteps[0]);
        Assert.Equal(961f, scheduler.Timesteps[1]);
        Assert.Equal(1f, scheduler.Timesteps[^1]);
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.75, 5)]
    [InlineData(0.3, 14)]
    [InlineData(0.0, 20)]
    public void Img2img_strength_picks_the_first_step_as_diffusers_does(double strength, int expected)
    {
        // StableDiffusionImg2ImgPipeline.get_timesteps: init_timestep = min(int(steps * strength), steps); t_start = steps - init_timestep.
        var scheduler = new DdimScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(20);

        Assert.Equal(expected, scheduler.StartIndex(strength));
    }
}
