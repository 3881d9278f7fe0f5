using System.Text.RegularExpressions;

namespace EditorBridge.ModelStore.Catalog;

/// <summary>What every catalog entry must satisfy before a pull trusts it; each problem names the entry and field.</summary>
internal static partial class CatalogValidation
{
    public static void Check(IReadOnlyList<CatalogEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? throw new InvalidDataException($"models[{i}] is null");
            var where = $"models[{i}] ('{entry.Name}')";
            if (ModelName.Problem(entry.Name) is { } nameProblem)
                throw new InvalidDataException($"{where}.name: {nameProblem}");
            if (!seen.Add(entry.Name))
                throw new InvalidDataException($"{where}.name: listed twice");
            if (!ModelKind.All.Contains(entry.Kind))
                throw new InvalidDataException($"{where}.kind: '{entry.Kind}' is not one of {string.Join(", ", ModelKind.All)}");
            if (entry.Licence is null || string.IsNullOrEmpty(entry.Licence.Id))
                throw new InvalidDataException($"{where}.licence.id: missing");
            if (entry.Licence.RequiresAcceptance && string.IsNullOrEmpty(entry.Licence.Url))
                throw new InvalidDataException($"{where}.licence.url: a licence that needs acceptance must say where to read it");
            if (entry.Operations is null || entry.Operations.Count == 0)
                throw new InvalidDataException($"{where}.operations: none");
            if (entry.Files is null || entry.Files.Count == 0)
                throw new InvalidDataException($"{where}.files: none");
            CheckFiles(entry, where);
        }
    }

    private static void CheckFiles(CatalogEntry entry, string where)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (int j = 0; j < entry.Files.Count; j++)
        {
            var file = entry.Files[j];
            var at = $"{where}.files[{j}]";
            if (ModelPath.Problem(file.Path) is { } pathProblem)
                throw new InvalidDataException($"{at}.path: {pathProblem}");
            if (!paths.Add(file.Path))
                throw new InvalidDataException($"{at}.path: '{file.Path}' is listed twice");
            // the built-in catalog uses https only (a test holds it to that); a studio's own catalog may name an internal http server
            if (!Uri.TryCreate(file.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                throw new InvalidDataException($"{at}.url: '{file.Url}' is not an http(s) URL");
            if (file.Size is <= 0 || (file.Size is null && file.ApproximateSize is not > 0))
                throw new InvalidDataException($"{at}.size: the publisher's size in bytes, or null with an approximateSize");
            if (file.Size is null && file.Sha256 is not null)
                throw new InvalidDataException($"{at}.size: a published checksum comes with the exact size");
            if (file.Sha256 is not null && !Sha256Pattern().IsMatch(file.Sha256))
                throw new InvalidDataException($"{at}.sha256: 64 lower-case hex digits or null (none published)");
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
