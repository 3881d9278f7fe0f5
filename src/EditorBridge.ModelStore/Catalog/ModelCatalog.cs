using EditorBridge.ModelStore.Pull;
using System.Text.Json;

namespace EditorBridge.ModelStore.Catalog;

/// <summary>
/// The models EditorBridge knows how to pull by name. The built-in one is <c>catalog.json</c>, embedded
/// in this assembly; reading it never touches the network.
/// </summary>
public sealed class ModelCatalog
{
    private static readonly Lazy<ModelCatalog> BuiltInCatalog = new(LoadBuiltIn);

    private readonly Dictionary<string, CatalogEntry> byName;

    private ModelCatalog(IReadOnlyList<CatalogEntry> entries)
    {
        Entries = entries;
        byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public static ModelCatalog BuiltIn => BuiltInCatalog.Value;

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public CatalogEntry? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>The entry, or <see cref="PullException"/> (<see cref="PullFailure.UnknownModel"/>) listing the names there are.</summary>
    public CatalogEntry Get(string name) => Find(name) ?? throw new PullException(
        PullFailure.UnknownModel,
        $"no model '{Truncate(name)}' in the catalog; known: {string.Join(", ", Entries.Select(e => e.Name))}");

    /// <summary>Reads a catalog document (<c>{"models": [...]}</c>) and checks every entry; throws <see cref="InvalidDataException"/> naming the entry and field.</summary>
    public static ModelCatalog Parse(string json)
    {
        var document = JsonSerializer.Deserialize<CatalogDocument>(json, ModelManifest.JsonOptions)
            ?? throw new InvalidDataException("catalog is empty (null)");
        var entries = document.Models ?? throw new InvalidDataException("catalog has no 'models' list");
        CatalogValidation.Check(entries);
        return new ModelCatalog(entries);
    }

    /// <summary>A catalog file of the built-in one's format (a studio's own list, tests).</summary>
    public static ModelCatalog Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a model catalog: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static ModelCatalog LoadBuiltIn()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(ModelCatalog).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private const string ResourceName = "EditorBridge.ModelStore.Catalog.catalog.json";

    private static string Truncate(string s) => s.Length > 64 ? s[..64] + "…" : s;

    private sealed record CatalogDocument(IReadOnlyList<CatalogEntry>? Models);
}
