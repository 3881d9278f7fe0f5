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
        return new InstalledDiffusionModel(
            manifest.Name,
            folder,
            manifest.Identity(),
            File.Exists(DiffusionLayout.GraphPath(folder, DiffusionLayout.ControlNet)),
            Text(index, "_class_name")?.Contains("Inpaint", StringComparison.OrdinalIgnoreCase) == true,
            Number(vae, "sample_size") is { } side and >= 64 and <= 4096 ? (int)side : DefaultWorkingSide,
            Number(vae, "scaling_factor") is { } factor and > 0 and < 10 ? (float)factor : DefaultScalingFactor);
    }

    private static JsonElement? JsonObject(string path)
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

    private static double? Number(JsonElement? root, string key) =>
        root is { } r && r.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
