using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EditorBridge.ModelStore;

/// <summary>
/// <c>manifest.json</c> in a model's folder: what the model is, every file with size and
/// SHA-256, its licence and sources, the operations it serves and (for single-graph image models)
/// its <see cref="Signature"/>. Diffusion models keep their diffusers layout and need no signature.
/// </summary>
public sealed record ModelManifest(
    string Name,
    string Kind,
    string Version,
    IReadOnlyList<ModelFile> Files,
    ModelLicence Licence,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string>? Sources = null,
    string Description = "",
    ModelSignature? Signature = null)
{
    public const string FileName = "manifest.json";

    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;

    /// <summary>For a model made from another (a LoRA merged into a diffusion model): what it was made of.</summary>
    public ModelVariant? Variant { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// The model's identity reported in job provenance: SHA-256 over its files' paths and hashes
    /// (sorted by path, one "path sha256\n" line each), so it changes when any file does.
    /// </summary>
    public string Identity()
    {
        var lines = new StringBuilder();
        foreach (var file in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            lines.Append(file.Path).Append(' ').Append(file.Sha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    public long TotalSize => Files.Sum(f => f.Size);

    public static ModelManifest Parse(string json) =>
        JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions) ?? throw new JsonException("manifest is empty (null)");

    public static ModelManifest Load(string modelDirectory) =>
        Parse(File.ReadAllText(Path.Combine(modelDirectory, FileName)));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
