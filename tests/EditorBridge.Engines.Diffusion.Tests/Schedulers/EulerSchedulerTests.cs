using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// Reference numbers from huggingface/diffusers tests/schedulers/test_scheduler_euler.py
/// (EulerDiscreteSchedulerTest, file version at commit 0bc2ddcb): num_train_timesteps 1100,
/// beta 0.0001–0.02 linear, EulerDiscreteScheduler's defaults otherwise (timestep_spacing linspace,
/// steps_offset 0), 10 steps.
/// </summary>
public sealed class EulerSchedulerTests
{
    internal static readonly SchedulerConfig DiffusersTestConfig = new(
        NumTrainTimesteps: 1100, BetaStart: 0.0001, BetaEnd: 0.02, BetaSchedule: "linear", StepsOffset: 0);

    /// <summary>
    /// diffusers' Euler full_loop: sample = dummy · init_noise_sigma; per step the sample is replaced
    /// by scale_model_input(sample) and that scaled sample is also what step() receives.
    /// </summary>
    internal static float[] DiffusersFullLoop(IScheduler scheduler)
    {
        var sample = DiffusersDummies.Scaled(DiffusersDummies.Sample(), scheduler.InitNoiseSigma);
        var noise = new GaussianNoise(0);
        for (int i = 0; i < scheduler.Timesteps.Count; i++)
        {
            sample = scheduler.ScaleModelInput(sample, i);
            sample = scheduler.Step(DiffusersDummies.Model(sample, scheduler.Timesteps[i]), i, sample, noise);
        }
        return sample;
    }

    [Fact]
    public void Full_loop_matches_diffusers() // test_full_loop_no_noise
    {
        var scheduler = new EulerScheduler(DiffusersTestConfig);
        scheduler.SetTimesteps(10);

        var sample = DiffusersFullLoop(scheduler);

        Assert.Equal(10.0807, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(0.0131, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Full_loop_with_v_prediction_matches_diffusers() // test_full_loop_with_v_prediction
    {
        var scheduler = new EulerScheduler(DiffusersTestConfig with { PredictionType = "v_prediction" });
        scheduler.SetTimesteps(10);

        var sample = DiffusersFullLoop(scheduler);

        Assert.Equal(0.0002, DiffusersDummies.AbsSum(sample), 0.01);
        Assert.Equal(2.2676e-06, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Stable_diffusion_15_sigmas_span_the_known_range()
    {
        // SD 1.5 (scaled_linear 0.00085–0.012, 1000 steps): σ_max = √((1−ᾱ₉₉₉)/ᾱ₉₉₉) ≈ 14.6146 and
        // σ_min = √((1−ᾱ₀)/ᾱ₀) ≈ 0.0292, the range k-diffusion and diffusers report for this model.
        var scheduler = new EulerScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(30);

        Assert.Equal(31, scheduler.Sigmas.Count);
        Assert.Equal(14.6146, scheduler.Sigmas[0], 0.001);
        Assert.Equal(0.0292, scheduler.Sigmas[^2], 0.0001);
        Assert.Equal(0f, scheduler.Sigmas[^1]);
        Assert.Equal(999f, scheduler.Timesteps[0]);
        Assert.Equal(0f, scheduler.Timesteps[^1]);
        // linspace spacing: init_noise_sigma is σ_max itself.
        Assert.Equal(scheduler.Sigmas[0], scheduler.InitNoiseSigma);
    }

    [Fact]
    public void Leading_spacing_scales_the_initial_noise_by_the_unit_variance_too()
    {
        var scheduler = new EulerScheduler(SchedulerConfig.StableDiffusion15 with { TimestepSpacing = "leading" });
        scheduler.SetTimesteps(50);

        Assert.Equal(981f, scheduler.Timesteps[0]);
        Assert.Equal(1f, scheduler.Timesteps[^1]);
        double sigmaMax = scheduler.Sigmas[0];
        Assert.Equal(Math.Sqrt(sigmaMax * sigmaMax + 1), scheduler.InitNoiseSigma, 1e-5);
    }

    [Fact]
    public void Model_input_is_divided_by_the_unit_variance_of_the_step()
    {
        var scheduler = new EulerScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(20);
        float sigma = scheduler.Sigmas[3];

        var scaled = scheduler.ScaleModelInput([2f, -4f], 3);

        double scale = 1 / Math.Sqrt(sigma * sigma + 1);
        Assert.Equal(2 * scale, scaled[0], 1e-6);
        Assert.Equal(-4 * scale, scaled[1], 1e-6);
    }

    [Fact]
    public void Add_noise_uses_the_sigma_of_the_start_step()
    {
        var scheduler = new EulerScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(20);
        int start = scheduler.StartIndex(0.5);

        var noised = scheduler.AddNoise([1f, 0f], [0.5f, -1f], start);

        Assert.Equal(10, start);
        Assert.Equal(1 + 0.5 * scheduler.Sigmas[10], noised[0], 1e-5);
        Assert.Equal(-scheduler.Sigmas[10], noised[1], 1e-5);
    }
}
