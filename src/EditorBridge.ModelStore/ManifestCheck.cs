using System.Globalization;

namespace EditorBridge.ModelStore;

/// <summary>What must hold for a manifest before any file is looked at.</summary>
public static class ManifestCheck
{
    /// <summary>Null when <paramref name="manifest"/> is well formed, otherwise every problem in one sentence.</summary>
    public static string? Problem(ModelManifest manifest)
    {
        var problems = Problems(manifest).ToList();
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static IEnumerable<string> Problems(ModelManifest manifest)
    {
        if (ModelName.Problem(manifest.Name) is { } name)
            yield return name;
        if (manifest.Schema > ModelManifest.CurrentSchema)
            yield return $"the manifest's schema {manifest.Schema} is newer than this version reads ({ModelManifest.CurrentSchema})";
        if (string.IsNullOrEmpty(manifest.Kind) || !ModelKind.All.Contains(manifest.Kind))
            yield return $"the kind '{manifest.Kind}' is unknown (known: {string.Join(", ", ModelKind.All)})";
        if (manifest.Files is null || manifest.Files.Count == 0)
        {
            yield return "the manifest lists no files";
            yield break;
        }

        if (manifest.Licence is null || string.IsNullOrWhiteSpace(manifest.Licence.Id))
            yield return "the manifest has no licence id";
        if (manifest.Operations is null)
            yield return "the manifest has no operations list";
        foreach (var file in manifest.Files)
        {
            if (ModelPath.Problem(file.Path) is { } path)
                yield return path;
            else if (file.Size < 0)
                yield return $"'{file.Path}' has a negative size";
            else if (!IsSha256(file.Sha256))
                yield return $"'{file.Path}' has no valid SHA-256 (64 hex digits)";
        }

        foreach (var duplicate in manifest.Files.GroupBy(f => f.Path, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return $"'{duplicate.Key}' is listed more than once";
        if (manifest.Signature is { } signature && !manifest.Files.Any(f => f.Path == signature.File))
            yield return $"the signature's file '{signature.File}' is not among the files";
    }

    private static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit)
        && value.Equals(value.ToLower(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
