using System.Text.Json;
using EditorBridge.ModelStore;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Reads the model store's folders for the kinds this engine runs. Only reads: installing,
/// verifying and removing are the store's. A folder whose manifest cannot be read is skipped
/// (the store's own checks report it); one without a signature cannot be run and is skipped too.
/// </summary>
internal static class ModelShelf
{
    public static IReadOnlyList<string> Kinds { get; } = [ModelKind.Inpaint, ModelKind.Upscale, ModelKind.Colorize, ModelKind.Style, ModelKind.Segment];

    public static IReadOnlyList<InstalledModel> Scan(string modelsDirectory)
    {
        if (string.IsNullOrEmpty(modelsDirectory) || !Directory.Exists(modelsDirectory))
            return [];
        var models = new List<InstalledModel>();
        foreach (var directory in Directory.EnumerateDirectories(modelsDirectory).Order(StringComparer.Ordinal))
        {
            if (TryLoad(directory) is { } model)
                models.Add(model);
        }

        return models;
    }

    public static InstalledModel? TryLoad(string directory)
    {
        if (!File.Exists(Path.Combine(directory, ModelManifest.FileName)))
            return null;
        try
        {
            var manifest = ModelManifest.Load(directory);
            if (!Kinds.Contains(manifest.Kind) || manifest.Signature is null)
                return null;
            return new InstalledModel(directory, manifest, manifest.Signature, manifest.Identity());
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
