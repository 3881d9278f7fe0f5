using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

public sealed class SchedulerFactoryTests
{
    // SD 1.5's DDIM stops at the noise level of ᾱ₀ (set_alpha_to_one false); with true it ends on the clean sample.
    private static readonly SchedulerConfig EndsClean = SchedulerConfig.StableDiffusion15 with { SetAlphaToOne = true };

    [Theory]
    [InlineData("ddim", typeof(DdimScheduler))]
    [InlineData("euler", typeof(EulerScheduler))]
    [InlineData("euler_a", typeof(EulerAncestralScheduler))]
    [InlineData("dpmpp_2m_karras", typeof(DpmSolverMultistepScheduler))]
    [InlineData(" LCM ", typeof(LcmScheduler))]
    public void Names_create_their_schedulers(string name, Type expected)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusion15);

        Assert.IsType(expected, scheduler);
        Assert.Contains(scheduler.Name, SchedulerFactory.Names);
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<EngineInputException>(() => SchedulerFactory.Create("heun", SchedulerConfig.StableDiffusion15));

        Assert.Equal("scheduler", error.Field);
        Assert.Contains("heun", error.Message);
        Assert.All(SchedulerFactory.Names, name => Assert.Contains(name, error.Message));
    }

    [Fact]
    public void A_configuration_built_in_code_is_checked_too()
    {
        var error = Assert.Throws<EngineInputException>(() => SchedulerFactory.Create("euler", new SchedulerConfig(PredictionType: "flow")));

        Assert.Contains("prediction_type", error.Message);
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("euler")]
    [InlineData("euler_a")]
    [InlineData("dpmpp_2m_karras")]
    [InlineData("lcm")]
    public void Every_scheduler_denoises_an_ideal_model_to_the_clean_sample(string name)
    {
        // A model that predicts the exact noise of x_t = clean + noise: every sampler must land on clean.
        var scheduler = SchedulerFactory.Create(name, EndsClean);
        scheduler.SetTimesteps(name == "lcm" ? 4 : 20);
        float[] clean = DiffusersDummies.Sample();
        float[] noise = new GaussianNoise(7).Next(clean.Length);
        var source = new GaussianNoise(8);
        float[] sample = DiffusersDummies.Scaled(noise, scheduler.InitNoiseSigma);
        for (int i = 0; i < scheduler.Timesteps.Count; i++)
        {
            float[] input = scheduler.ScaleModelInput(sample, i);
            float[] epsilon = IdealEpsilon(scheduler, input, clean, i);
            sample = scheduler.Step(epsilon, i, sample, source);
        }

        double error = sample.Zip(clean).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(error < 0.02, $"{name}: largest error {error}");
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("euler")]
    [InlineData("dpmpp_2m_karras")]
    public void Img2img_from_the_start_index_also_lands_on_the_clean_sample(string name)
    {
        var scheduler = SchedulerFactory.Create(name, EndsClean);
        scheduler.SetTimesteps(20);
        float[] clean = DiffusersDummies.Sample();
        int start = scheduler.StartIndex(0.6);
        float[] sample = scheduler.AddNoise(clean, new GaussianNoise(3).Next(clean.Length), start);
        for (int i = start; i < scheduler.Timesteps.Count; i++)
            sample = scheduler.Step(IdealEpsilon(scheduler, scheduler.ScaleModelInput(sample, i), clean, i), i, sample, new GaussianNoise(9));

        Assert.Equal(8, start);
        Assert.True(sample.Zip(clean).Max(p => Math.Abs(p.First - p.Second)) < 0.02);
    }

    /// <summary>
    /// The ε a perfect UNet returns for the scaled input at step i. With unit-variance input u = x_t/√(σ²+1)
    /// (variance-exploding samplers) or u = x_t (DDIM/LCM/DPM, √ᾱ·x₀ + √(1−ᾱ)·ε), ε = (u − √ᾱ·x₀)/√(1−ᾱ).
    /// </summary>
    private static float[] IdealEpsilon(IScheduler scheduler, float[] input, float[] clean, int i)
    {
        double alpha = AlphaAt(scheduler, i);
        return input.Zip(clean, (u, x0) => (float)((u - Math.Sqrt(alpha) * x0) / Math.Sqrt(1 - alpha))).ToArray();
    }

    private static double AlphaAt(IScheduler scheduler, int i)
    {
        if (scheduler.Sigmas.Count > 0)
        {
            double sigma = scheduler.Sigmas[i];
            return 1 / (sigma * sigma + 1);
        }
        // Recompute ᾱ_t for SD 1.5's schedule (scaled_linear 0.00085–0.012) at the integer timestep.
        double product = 1;
        int t = (int)scheduler.Timesteps[i];
        for (int k = 0; k <= t; k++)
        {
            double root = Math.Sqrt(0.00085) + k / 999.0 * (Math.Sqrt(0.012) - Math.Sqrt(0.00085));
            product *= 1 - root * root;
        }
        return product;
    }
}
