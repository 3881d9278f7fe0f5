using System.Text.Json;
using EditorBridge.ModelStore;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// Finds the installed models of kind diffusion in the model store: one folder per model with its
/// manifest. Only manifests and small JSON files are read; graphs are opened when a job needs them.
/// </summary>
internal static class DiffusionModelScan
{
    public const int DefaultWorkingSide = 512;
    public const float DefaultScalingFactor = 0.18215f;
    public const int DefaultWorkingSideXL = 1024;
    public const float DefaultScalingFactorXL = 0.13025f;

    public static IReadOnlyList<InstalledDiffusionModel> Scan(string? modelsDirectory)
    {
        if (string.IsNullOrEmpty(modelsDirectory) || !Directory.Exists(modelsDirectory))
            return [];
        var models = new List<InstalledDiffusionModel>();
        foreach (var folder in Directory.EnumerateDirectories(modelsDirectory).Order(StringComparer.Ordinal))
        {
            if (Read(folder) is { } model)
                models.Add(model);
        }

        return models;
    }

    /// <summary>The model in <paramref name="folder"/>, or null when it is not an installed diffusion model.</summary>
    public static InstalledDiffusionModel? Read(string folder)
    {
        ModelManifest manifest;
        try
        {
            if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
                return null;
            manifest = ModelManifest.Load(folder);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (manifest.Kind != ModelKind.Diffusion || !File.Exists(Path.Combine(folder, DiffusionLayout.ModelIndex)))
            return null;
        var vae = JsonObject(Path.Combine(folder, DiffusionLayout.VaeDecoder, "config.json"));
        var index = JsonObject(Path.Combine(folder, DiffusionLayout.ModelIndex));
        var family = Family(index);
        bool xl = family == DiffusionFamily.StableDiffusionXL;
        return new InstalledDiffusionModel(
            manifest.Name,
            folder,
            manifest.Identity(),
            File.Exists(DiffusionLayout.GraphPath(folder, DiffusionLayout.ControlNet)),
            Text(index, "_class_name")?.Contains("Inpaint", StringComparison.OrdinalIgnoreCase) == true,
            Number(vae, "sample_size") is { } side and >= 64 and <= 4096 ? (int)side : xl ? DefaultWorkingSideXL : DefaultWorkingSide,
            Number(vae, "scaling_factor") is { } factor and > 0 and < 10 ? (float)factor : xl ? DefaultScalingFactorXL : DefaultScalingFactor,
            family,
            xl && Flag(index, "force_zeros_for_empty_prompt") != false)
        {
            ControlTypes = Models.ControlTypes.All.Where(t => Models.ControlTypes.ComponentFor(folder, t) is not null).ToList(),
        };
    }

    /// <summary>
    /// SDXL when model_index.json lists a second text encoder (diffusers' SDXL pipelines and
    /// optimum's ONNX exports of them all do); the model check then requires the UNet's SDXL inputs.
    /// </summary>
    public static DiffusionFamily Family(JsonElement? modelIndex) =>
        modelIndex is { } index && index.TryGetProperty(DiffusionLayout.TextEncoder2, out var component) && component.ValueKind != JsonValueKind.Null
            ? DiffusionFamily.StableDiffusionXL
            : DiffusionFamily.StableDiffusion;

    internal static JsonElement? JsonObject(string path)
    {
        try
        {
            if (!File.Exists(path))
                return null;
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? root, string key) =>
        root is { } r && r.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Flag(JsonElement? root, string key) =>
        root is { } r && r.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static double? Number(JsonElement? root, string key) =>
        root is { } r && r.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
