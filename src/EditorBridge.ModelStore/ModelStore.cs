using System.Text.Json;

namespace EditorBridge.ModelStore;

/// <summary>
/// The per-user model store: one folder per model (named as the model) holding its files and
/// <c>manifest.json</c>. Installing assembles a model in <c>.staging/</c> and makes it visible with
/// one directory move, so a model is either whole or absent; a crash leaves only staging junk,
/// which <see cref="CleanStaging"/> removes at the next start.
/// </summary>
public sealed class ModelStore
{
    public const string StagingFolderName = ".staging";
    private const string ReplacedPrefix = "replaced-";
    private const string RemovedPrefix = "removed-";

    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    private string StagingRoot => Path.Combine(Root, StagingFolderName);

    /// <summary>The installed models, by name. A folder without a readable manifest is skipped (see <see cref="Verify"/>).</summary>
    public IReadOnlyList<InstalledModel> List()
    {
        if (!Directory.Exists(Root))
            return [];
        var models = new List<InstalledModel>();
        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(directory);
            if (ModelName.Problem(name) is null && TryLoad(name, directory) is { } model)
                models.Add(model);
        }

        return [.. models.OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>The installed model called <paramref name="name"/>, or null when there is none.</summary>
    public InstalledModel? Find(string name)
    {
        if (ModelName.Problem(name) is not null)
            return null;
        var directory = Path.Combine(Root, name);
        try
        {
            var manifest = ModelManifest.Load(directory);
            if (manifest.Name == name)
                return InstalledModel.From(manifest, directory);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or ArgumentException)
        {
            throw Damaged(name, directory, e);
        }

        throw Damaged(name, directory, null);
    }

    /// <summary>Checks that every file of the model is present, with the manifest's size and SHA-256.</summary>
    public ModelVerification Verify(string name, CancellationToken cancellationToken = default)
    {
        var model = Find(name) ?? throw NotInstalled(name);
        return new ModelVerification(name, FileProblems(model.Directory, model.Manifest, cancellationToken));
    }

    /// <summary>Removes the model: one move out of sight, then the files are deleted.</summary>
    public void Remove(string name)
    {
        ModelName.Validate(name);
        var directory = Path.Combine(Root, name);
        var aside = Path.Combine(StagingRoot, $"{RemovedPrefix}{name}-{Guid.NewGuid():N}");
        using (StoreLock.Take(Root, name))
        {
            if (!Directory.Exists(directory))
                throw NotInstalled(name);
            Directory.CreateDirectory(StagingRoot);
            Directory.Move(directory, aside);
        }

        DeleteQuietly(aside);
    }

    /// <summary>A fresh, empty folder under <c>.staging/</c> (same file system as the store) to assemble a model in.</summary>
    public string NewStagingDirectory(string name)
    {
        ModelName.Validate(name);
        var directory = Path.Combine(StagingRoot, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Installs the model assembled in <paramref name="stagingDirectory"/> (from <see cref="NewStagingDirectory"/>):
    /// checks the manifest, every file's size and SHA-256 and that no other file is there, writes
    /// the manifest, runs <paramref name="check"/> (the engines' CheckModel; it finds the kind and
    /// signature in the staged manifest.json, and may write a position-bound signature's real tensor
    /// names into it: see <see cref="InstalledModel.SignatureNamesTaken"/>) on the folder and moves the folder in. An existing model of that name is refused unless <paramref name="replace"/>.
    /// </summary>
    public InstalledModel Install(
        string stagingDirectory,
        ModelManifest manifest,
        Func<string, IReadOnlyList<string>>? check = null,
        bool replace = false,
        CancellationToken cancellationToken = default) =>
        Install(stagingDirectory, manifest, check, replace, filesHashed: false, cancellationToken);

    /// <summary>
    /// How long a staging folder must have had no writes before <see cref="CleanStaging"/> takes it
    /// for the leftover of a crash: another daemon sharing the store (a studio disk) may be
    /// assembling in it right now.
    /// </summary>
    public static TimeSpan StagingIdleBeforeCleanup { get; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes what interrupted installs and removals left in <c>.staging/</c> (entries with no
    /// write for <paramref name="idle"/>, default <see cref="StagingIdleBeforeCleanup"/>); a model
    /// that was moved aside to be replaced and whose replacement never arrived is put back. The
    /// daemon calls it when it starts.
    /// </summary>
    public void CleanStaging(TimeSpan? idle = null)
    {
        if (!Directory.Exists(StagingRoot))
            return;
        var quietSince = DateTime.UtcNow - (idle ?? StagingIdleBeforeCleanup);
        using (StoreLock.Take(Root, StagingFolderName))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(StagingRoot))
            {
                // Replaced and removed entries only exist outside the lock if their process died.
                var replaced = ReplacedModelName(Path.GetFileName(entry));
                if (replaced is not null && !Directory.Exists(Path.Combine(Root, replaced)))
                    Directory.Move(entry, Path.Combine(Root, replaced));
                else if (replaced is not null || Path.GetFileName(entry).StartsWith(RemovedPrefix, StringComparison.Ordinal) || LastWrite(entry) < quietSince)
                    DeleteQuietly(entry);
            }
        }
    }

    internal InstalledModel Install(
        string stagingDirectory,
        ModelManifest manifest,
        Func<string, IReadOnlyList<string>>? check,
        bool replace,
        bool filesHashed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stagingDirectory));
        var name = manifest.Name ?? "";
        if (ManifestCheck.Problem(manifest) is { } manifestProblem)
            throw Refused(name, ModelStoreError.Invalid, manifestProblem);
        if (!string.Equals(Path.GetDirectoryName(staging), StagingRoot, StringComparison.Ordinal) || !Directory.Exists(staging))
            throw Refused(name, ModelStoreError.Invalid, $"the folder '{staging}' is not a staging folder of this store (use NewStagingDirectory)");

        RefuseTaken(name, replace);
        var problems = filesHashed ? [] : FileProblems(staging, manifest, cancellationToken);
        problems.AddRange(UnlistedFiles(staging, manifest));
        if (problems.Count > 0)
            throw Refused(name, ModelStoreError.Invalid, string.Join("; ", problems));
        cancellationToken.ThrowIfCancellationRequested();
        // Written first: engines read the kind and signature from the staged manifest.
        WriteManifest(staging, manifest);
        IReadOnlyList<SignatureNameTaken> taken = [];
        if (check is not null)
        {
            if (check(staging) is { Count: > 0 } checkProblems)
                throw Refused(name, ModelStoreError.CheckFailed, "the engine check failed: " + string.Join("; ", checkProblems));
            (manifest, taken) = CheckedManifest(staging, manifest);
        }

        var target = Path.Combine(Root, name);
        var aside = Path.Combine(StagingRoot, $"{ReplacedPrefix}{name}-{Guid.NewGuid():N}");
        var replaced = false;
        using (StoreLock.Take(Root, name))
        {
            RefuseTaken(name, replace);
            if (Directory.Exists(target))
            {
                Directory.Move(target, aside);
                replaced = true;
            }

            try
            {
                Directory.Move(staging, target);
            }
            catch when (replaced)
            {
                Directory.Move(aside, target);
                throw;
            }
        }

        if (replaced)
            DeleteQuietly(aside);
        return InstalledModel.From(manifest, target) with { SignatureNamesTaken = taken };
    }

    /// <summary>
    /// The staged manifest as the engines' check left it: the check may write a position-bound
    /// signature's real tensor names into it (and nothing else), which the installed model keeps.
    /// </summary>
    private static (ModelManifest Manifest, IReadOnlyList<SignatureNameTaken> Taken) CheckedManifest(string staging, ModelManifest described)
    {
        ModelManifest staged;
        try
        {
            staged = ModelManifest.Load(staging);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or ArgumentException)
        {
            throw Refused(described.Name, ModelStoreError.CheckFailed, $"the engine check left an unreadable {ModelManifest.FileName}: {e.Message}");
        }

        var (taken, problem) = StagedSignatureNames.Between(described, staged);
        if (problem is not null)
            throw Refused(described.Name, ModelStoreError.CheckFailed, problem);
        return (staged, taken);
    }

    /// <summary>Refuses early (before copying or hashing) and again under the lock when the name is taken.</summary>
    internal void RefuseTaken(string name, bool replace)
    {
        if (!replace && Directory.Exists(Path.Combine(Root, name)))
            throw new ModelStoreException(name, ModelStoreError.AlreadyExists,
                $"Model '{name}' is already installed; remove it first or ask to replace it.");
    }

    /// <summary>Each file of <paramref name="manifest"/> that is missing, escapes the folder, or has the wrong size or hash.</summary>
    internal static List<string> FileProblems(string directory, ModelManifest manifest, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var file in manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ModelPath.Problem(file.Path) is { } pathProblem)
            {
                problems.Add(pathProblem);
                continue;
            }

            var path = ModelPath.Combine(directory, file.Path);
            if (!File.Exists(path))
            {
                problems.Add($"'{file.Path}' is missing");
                continue;
            }

            if (ModelPath.LinkEscape(directory, path, file.Path) is { } escape)
            {
                problems.Add(escape);
                continue;
            }

            var size = new FileInfo(path).Length;
            if (size != file.Size)
                problems.Add($"'{file.Path}' is {size} bytes, the manifest says {file.Size}");
            else if (FileDigest.Sha256(path, cancellationToken) is var sha && !string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
                problems.Add($"'{file.Path}' has SHA-256 {sha}, the manifest says {file.Sha256}");
        }

        return problems;
    }

    private static IEnumerable<string> UnlistedFiles(string directory, ModelManifest manifest)
    {
        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        listed.Add(ModelManifest.FileName);
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => ModelPath.Relative(directory, path))
            .Where(relative => !listed.Contains(relative))
            .Order(StringComparer.Ordinal)
            .Select(relative => $"'{relative}' is in the folder but not in the manifest");
    }

    private static void WriteManifest(string directory, ModelManifest manifest)
    {
        using var stream = new FileStream(Path.Combine(directory, ModelManifest.FileName), FileMode.Create, FileAccess.Write, FileShare.None);
        JsonSerializer.Serialize(stream, manifest, ModelManifest.JsonOptions);
        stream.Flush(flushToDisk: true);
    }

    private static InstalledModel? TryLoad(string name, string directory)
    {
        try
        {
            var manifest = ModelManifest.Load(directory);
            return manifest.Name == name ? InstalledModel.From(manifest, directory) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static DateTime LastWrite(string entry)
    {
        if (!Directory.Exists(entry))
            return File.GetLastWriteTimeUtc(entry);
        var latest = Directory.GetLastWriteTimeUtc(entry);
        foreach (var inside in new DirectoryInfo(entry).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            latest = inside.LastWriteTimeUtc > latest ? inside.LastWriteTimeUtc : latest;
        return latest;
    }

    private static string? ReplacedModelName(string entry)
    {
        const int suffix = 33; // "-" + 32 hex digits of the Guid
        if (!entry.StartsWith(ReplacedPrefix, StringComparison.Ordinal) || entry.Length <= ReplacedPrefix.Length + suffix)
            return null;
        var name = entry[ReplacedPrefix.Length..^suffix];
        return ModelName.Problem(name) is null ? name : null;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open (Windows) keeps it for the next CleanStaging; it is out of sight already.
        }
    }

    private static ModelStoreException Damaged(string name, string directory, Exception? inner) =>
        new(name, ModelStoreError.Invalid,
            $"Model '{name}': its {ModelManifest.FileName} in '{directory}' cannot be read or names another model; remove the model and install it again.", inner);

    private static ModelStoreException NotInstalled(string name) =>
        new(name, ModelStoreError.NotFound, $"Model '{name}' is not installed.");

    private static ModelStoreException Refused(string name, ModelStoreError error, string problem) =>
        new(name, error, $"Model '{name}' was not installed: {problem}.");
}
