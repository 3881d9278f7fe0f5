using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

/// <summary>
/// Reference numbers from huggingface/diffusers tests/schedulers/test_scheduler_dpm_multi.py
/// (DPMSolverMultistepSchedulerTest, file version at commit 9519ffcf): num_train_timesteps 1000,
/// beta 0.0001–0.02 linear, solver_order 2, dpmsolver++, midpoint, final_sigmas_type zero, 10 steps.
/// </summary>
public sealed class DpmSolverMultistepSchedulerTests
{
    private static readonly SchedulerConfig DiffusersTestConfig = new(
        NumTrainTimesteps: 1000, BetaStart: 0.0001, BetaEnd: 0.02, BetaSchedule: "linear", StepsOffset: 0);

    [Fact]
    public void Full_loop_with_karras_and_v_prediction_matches_diffusers() // test_full_loop_with_karras_and_v_prediction
    {
        var scheduler = new DpmSolverMultistepScheduler(DiffusersTestConfig with { PredictionType = "v_prediction" });
        scheduler.SetTimesteps(10);

        var sample = DiffusersDummies.PlainLoop(scheduler, DiffusersDummies.Sample());

        Assert.Equal(0.2096, DiffusersDummies.AbsMean(sample), 0.001);
    }

    [Fact]
    public void Karras_sigmas_run_from_sigma_max_to_sigma_min_then_zero()
    {
        // SD 1.5: σ_max ≈ 14.6146, σ_min ≈ 0.0292; Karras et al. (2022) ρ = 7 interpolation between them.
        var scheduler = new DpmSolverMultistepScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(25);

        Assert.Equal(26, scheduler.Sigmas.Count);
        Assert.Equal(14.6146, scheduler.Sigmas[0], 0.001);
        Assert.Equal(0.0292, scheduler.Sigmas[^2], 0.0001);
        Assert.Equal(0f, scheduler.Sigmas[^1]);
        Assert.Equal(999f, scheduler.Timesteps[0]);
        Assert.Equal(0f, scheduler.Timesteps[^1]);
        double rootMax = Math.Pow(scheduler.Sigmas[0], 1 / 7.0), rootMin = Math.Pow(scheduler.Sigmas[^2], 1 / 7.0);
        Assert.Equal(Math.Pow(rootMax + 0.5 * (rootMin - rootMax), 7), scheduler.Sigmas[12], 1e-4);
        Assert.True(scheduler.Timesteps.Zip(scheduler.Timesteps.Skip(1)).All(p => p.First >= p.Second));
    }

    [Fact]
    public void Steps_out_of_order_are_refused()
    {
        var scheduler = new DpmSolverMultistepScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(10);
        var sample = DiffusersDummies.Sample();
        sample = scheduler.Step(DiffusersDummies.Model(sample, scheduler.Timesteps[0]), 0, sample, new GaussianNoise(0));

        Assert.Throws<InvalidOperationException>(() => scheduler.Step(sample, 3, sample, new GaussianNoise(0)));
    }

    [Fact]
    public void Add_noise_uses_the_variance_preserving_scales_of_the_start_sigma()
    {
        var scheduler = new DpmSolverMultistepScheduler(SchedulerConfig.StableDiffusion15);
        scheduler.SetTimesteps(10);
        double sigma = scheduler.Sigmas[4];

        var noised = scheduler.AddNoise([1f], [1f], 4);

        double alpha = 1 / Math.Sqrt(sigma * sigma + 1);
        Assert.Equal(alpha + sigma * alpha, noised[0], 1e-5);
        Assert.Equal(1f, scheduler.InitNoiseSigma);
    }
}
