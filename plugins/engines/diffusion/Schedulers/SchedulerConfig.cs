using System.Text.Json;

namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// The training noise schedule and sampling options of a model, as in diffusers'
/// <c>scheduler/scheduler_config.json</c>. Defaults are Stable Diffusion 1.5's.
/// </summary>
/// <param name="TimestepSpacing">leading, trailing or linspace; null = the sampler's own default (as diffusers does when the file does not say).</param>
/// <param name="OriginalInferenceSteps">LCM only: the distillation's step grid.</param>
/// <param name="TimestepScaling">LCM only: scales the timestep in the consistency boundary conditions.</param>
public sealed record SchedulerConfig(
    int NumTrainTimesteps = 1000,
    double BetaStart = 0.00085,
    double BetaEnd = 0.012,
    string BetaSchedule = "scaled_linear",
    string PredictionType = "epsilon",
    int StepsOffset = 1,
    string? TimestepSpacing = null,
    bool SetAlphaToOne = false,
    bool ClipSample = false,
    double ClipSampleRange = 1.0,
    int OriginalInferenceSteps = 50,
    double TimestepScaling = 10.0)
{
    public const string FileName = "scheduler_config.json";

    public static SchedulerConfig StableDiffusion15 { get; } = new();

    /// <summary>Reads <c>scheduler/scheduler_config.json</c> under a diffusers model folder; SD 1.5 defaults when there is none.</summary>
    public static SchedulerConfig FromModelDirectory(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, "scheduler", FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : StableDiffusion15;
    }

    /// <summary>Parses the JSON; keys it does not know (e.g. <c>_class_name</c>) are ignored, missing ones keep their defaults.</summary>
    /// <param name="source">Named in error messages (the file path).</param>
    public static SchedulerConfig Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new EngineInputException("model", $"{source}: expected a JSON object");
            return Read(document.RootElement).Validated(source);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            throw new EngineInputException("model", $"{source}: {error.Message}");
        }
    }

    private static SchedulerConfig Read(JsonElement root)
    {
        var defaults = StableDiffusion15;
        return new SchedulerConfig(
            NumTrainTimesteps: Int(root, "num_train_timesteps") ?? defaults.NumTrainTimesteps,
            BetaStart: Double(root, "beta_start") ?? defaults.BetaStart,
            BetaEnd: Double(root, "beta_end") ?? defaults.BetaEnd,
            BetaSchedule: Text(root, "beta_schedule") ?? defaults.BetaSchedule,
            PredictionType: Text(root, "prediction_type") ?? defaults.PredictionType,
            StepsOffset: Int(root, "steps_offset") ?? defaults.StepsOffset,
            TimestepSpacing: Text(root, "timestep_spacing"),
            SetAlphaToOne: Bool(root, "set_alpha_to_one") ?? defaults.SetAlphaToOne,
            ClipSample: Bool(root, "clip_sample") ?? defaults.ClipSample,
            ClipSampleRange: Double(root, "clip_sample_range") ?? defaults.ClipSampleRange,
            OriginalInferenceSteps: Int(root, "original_inference_steps") ?? defaults.OriginalInferenceSteps,
            TimestepScaling: Double(root, "timestep_scaling") ?? defaults.TimestepScaling);
    }

    /// <summary>Checks the values the samplers depend on; throws naming the key.</summary>
    public SchedulerConfig Validated(string source)
    {
        if (NumTrainTimesteps < 2)
            throw new EngineInputException("model", $"{source}: num_train_timesteps must be at least 2, got {NumTrainTimesteps}");
        if (!(BetaStart > 0 && BetaEnd > BetaStart && BetaEnd < 1))
            throw new EngineInputException("model", $"{source}: need 0 < beta_start < beta_end < 1, got {BetaStart} and {BetaEnd}");
        if (BetaSchedule is not ("scaled_linear" or "linear"))
            throw new EngineInputException("model", $"{source}: beta_schedule '{BetaSchedule}' is not supported (scaled_linear, linear)");
        if (PredictionType is not ("epsilon" or "v_prediction" or "sample"))
            throw new EngineInputException("model", $"{source}: prediction_type '{PredictionType}' is not supported (epsilon, v_prediction, sample)");
        if (TimestepSpacing is not (null or "leading" or "trailing" or "linspace"))
            throw new EngineInputException("model", $"{source}: timestep_spacing '{TimestepSpacing}' is not supported (leading, trailing, linspace)");
        if (StepsOffset < 0 || StepsOffset >= NumTrainTimesteps)
            throw new EngineInputException("model", $"{source}: steps_offset {StepsOffset} is outside 0..{NumTrainTimesteps - 1}");
        if (OriginalInferenceSteps < 1 || OriginalInferenceSteps > NumTrainTimesteps)
            throw new EngineInputException("model", $"{source}: original_inference_steps {OriginalInferenceSteps} is outside 1..{NumTrainTimesteps}");
        return this;
    }

    private static JsonElement? Value(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static int? Int(JsonElement root, string key) => Value(root, key)?.GetInt32();

    private static double? Double(JsonElement root, string key) => Value(root, key)?.GetDouble();

    private static string? Text(JsonElement root, string key) => Value(root, key)?.GetString();

    private static bool? Bool(JsonElement root, string key) => Value(root, key)?.GetBoolean();
}
