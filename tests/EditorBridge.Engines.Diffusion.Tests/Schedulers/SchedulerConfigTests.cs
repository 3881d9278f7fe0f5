using EditorBridge.Engines.Diffusion.Schedulers;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

public sealed class SchedulerConfigTests
{
    // runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json (PNDMScheduler), as published with the model.
    private const string StableDiffusion15Json = """
        {
          "_class_name": "PNDMScheduler",
          "_diffusers_version": "0.6.0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "num_train_timesteps": 1000,
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "trained_betas": null,
          "clip_sample": false
        }
        """;

    [Fact]
    public void Stable_diffusion_15_file_equals_the_defaults() =>
        Assert.Equal(SchedulerConfig.StableDiffusion15, SchedulerConfig.Parse(StableDiffusion15Json, "scheduler_config.json"));

    [Fact]
    public void Values_are_read_and_missing_ones_keep_the_defaults()
    {
        var config = SchedulerConfig.Parse(
            """{"prediction_type": "v_prediction", "timestep_spacing": "trailing", "beta_schedule": "linear", "original_inference_steps": 25}""", "x");

        Assert.Equal("v_prediction", config.PredictionType);
        Assert.Equal("trailing", config.TimestepSpacing);
        Assert.Equal("linear", config.BetaSchedule);
        Assert.Equal(25, config.OriginalInferenceSteps);
        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.Equal(1, config.StepsOffset);
    }

    [Fact]
    public void A_model_folder_without_the_file_gets_the_defaults()
    {
        using var model = new TempDirectory("model");

        Assert.Equal(SchedulerConfig.StableDiffusion15, SchedulerConfig.FromModelDirectory(model.Path));
    }

    [Fact]
    public void A_model_folder_file_is_read()
    {
        using var model = new TempDirectory("model");
        Directory.CreateDirectory(Path.Combine(model.Path, "scheduler"));
        File.WriteAllText(Path.Combine(model.Path, "scheduler", "scheduler_config.json"), """{"set_alpha_to_one": true}""");

        Assert.True(SchedulerConfig.FromModelDirectory(model.Path).SetAlphaToOne);
    }

    [Theory]
    [InlineData("""{"beta_schedule": "squaredcos_cap_v2"}""", "beta_schedule")]
    [InlineData("""{"prediction_type": "flow"}""", "prediction_type")]
    [InlineData("""{"timestep_spacing": "karras"}""", "timestep_spacing")]
    [InlineData("""{"beta_start": 0.02, "beta_end": 0.01}""", "beta_start")]
    [InlineData("""{"num_train_timesteps": "many"}""", "scheduler_config.json")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"steps_offset": 1""", "scheduler_config.json")]
    public void Bad_values_are_clear_errors(string json, string named)
    {
        var error = Assert.Throws<EngineInputException>(() => SchedulerConfig.Parse(json, "scheduler_config.json"));

        Assert.Equal("model", error.Field);
        Assert.Contains(named, error.Message);
    }
}
