using EditorBridge.ModelStore;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// What <c>doctor</c> finds in the model store: each folder a readable model whose files are all
/// there at the manifest's sizes (quick), or also match its SHA-256 (<c>--verify-models</c>, reads every byte).
/// </summary>
public static class ModelStoreCheck
{
    /// <summary>One finding: a passing line, or a problem with its fix.</summary>
    public sealed record Finding(string What, string? Fix = null)
    {
        public bool IsProblem => Fix is not null;
    }

    public static IReadOnlyList<Finding> Run(string root, bool hashFiles, CancellationToken cancellationToken)
    {
        var store = new ModelStore.ModelStore(root);
        var folders = Directory.Exists(store.Root)
            ? Directory.EnumerateDirectories(store.Root).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
        var findings = new List<Finding> { new($"model store {store.Root}: {Count(folders.Count)}") };
        findings.AddRange(folders.Select(name => Check(store, name, hashFiles, cancellationToken)));
        return findings;
    }

    private static string Count(int models) => models == 0
        ? "no models installed (see 'editorbridge models catalog', 'models pull NAME' or 'models import DIR')"
        : $"{models} model(s)";

    private static Finding Check(ModelStore.ModelStore store, string name, bool hashFiles, CancellationToken cancellationToken)
    {
        var fix = $"editorbridge models remove {name}, then pull or import it again";
        try
        {
            var model = store.Find(name);
            if (model is null)
                return new Finding($"model folder '{name}' in the store has no readable manifest.json: engines ignore it", $"remove the folder {Path.Combine(store.Root, name)}");
            var problems = hashFiles ? store.Verify(name, cancellationToken).Problems : QuickProblems(model);
            var manifest = model.Manifest;
            return problems.Count == 0
                ? new Finding($"model {name}: {manifest.Kind}, serves {string.Join(", ", manifest.Operations ?? [])}; {(hashFiles ? "every file matches its SHA-256" : "every file present at its size")}")
                : new Finding($"model {name} is damaged: {string.Join("; ", problems)}", fix);
        }
        catch (Exception e) when (e is ModelStoreException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new Finding($"model {name}: {e.Message}", fix);
        }
    }

    // Presence and size only: hashing a multi-gigabyte model takes minutes.
    private static List<string> QuickProblems(InstalledModel model)
    {
        var problems = new List<string>();
        foreach (var file in model.Manifest.Files)
        {
            var path = ModelPath.Combine(model.Directory, file.Path);
            if (!File.Exists(path))
                problems.Add($"'{file.Path}' is missing");
            else if (new FileInfo(path).Length != file.Size)
                problems.Add($"'{file.Path}' has {new FileInfo(path).Length} bytes, the manifest says {file.Size}");
        }

        return problems;
    }
}
