using System.IO.Enumeration;
using System.Text.Json;

namespace EditorBridge.ModelStore;

/// <summary>
/// Imports a model from a local folder or file into the store: a folder with <c>manifest.json</c>
/// (its files are copied and checked against it), a diffusers ONNX folder (a manifest is made),
/// or one .onnx graph with a kind (a manifest is made; the engine's check judges the graph).
/// Everything is assembled in staging and installed whole, or not at all.
/// </summary>
public sealed class ModelImport(ModelStore store)
{
    public const string LocalVersion = "local";

    public const string UnknownLicenceId = "unknown";

    public const string UnknownLicenceNote =
        "Imported from a local folder without a licence (pass --licence ID to record it). " +
        "Check the model's own licence before using or sharing what it makes.";

    public InstalledModel Import(
        string source,
        ModelImportOptions options,
        Func<string, IReadOnlyList<string>>? check = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        var name = options.Name ?? ModelName.FromFolderName(File.Exists(full) ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full));
        if (options.Name is not null)
            ModelName.Validate(options.Name);
        if (File.Exists(full) && full.EndsWith(".param", StringComparison.OrdinalIgnoreCase))
            return ImportNcnn(full, options, check, cancellationToken);
        if (File.Exists(full))
        {
            if (!full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw Refused(name, $"'{full}' is a file but not an .onnx graph or an ncnn .param; import a folder, an .onnx file or a .param file");
            return ImportGraph(Path.GetDirectoryName(full)!, [full], name, options, check, cancellationToken);
        }

        if (!Directory.Exists(full))
            throw Refused(name, $"'{full}' does not exist");
        if (File.Exists(Path.Combine(full, ModelManifest.FileName)))
            return ImportWithManifest(full, options, check, cancellationToken);
        if (DiffusersLayout.Looks(full))
            return ImportDiffusers(full, name, options, check, cancellationToken);

        var sources = SourceFiles(full, name, options);
        var graphs = sources.Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
        var ncnn = sources.Where(f => f.EndsWith(".param", StringComparison.OrdinalIgnoreCase)).ToList();
        if (graphs.Count == 0 && ncnn.Count == 1)
            return ImportNcnn(ncnn[0], options, check, cancellationToken);
        if (graphs.Count == 0 && ncnn.Count > 1)
            throw Refused(name, $"'{full}' holds {ncnn.Count} ncnn models ({string.Join(", ", ncnn.Select(Path.GetFileName))}); import them one by one, each by its .param file");
        return graphs.Count switch
        {
            0 => throw Refused(name, $"'{full}' holds no {ModelManifest.FileName}, no {DiffusersLayout.IndexFile} (diffusers ONNX layout), no .onnx file and no ncnn .param"),
            1 => ImportGraph(full, SourceFiles(full, name, options), name, options, check, cancellationToken),
            _ => throw Refused(name, $"'{full}' holds {graphs.Count} .onnx files and no {ModelManifest.FileName}; write a manifest that lists them"),
        };
    }

    private InstalledModel ImportWithManifest(string folder, ModelImportOptions options, Func<string, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(folder);
        }
        catch (JsonException e)
        {
            throw Refused(options.Name ?? Path.GetFileName(folder), $"its {ModelManifest.FileName} cannot be read: {e.Message}");
        }

        if (options.Name is { } rename)
            manifest = manifest with { Name = rename };
        var name = manifest.Name ?? "";
        if (ManifestCheck.Problem(manifest) is { } problem)
            throw Refused(name, problem);
        if (options.Kind is { } kind && kind != manifest.Kind)
            throw Refused(name, $"its manifest says kind '{manifest.Kind}', not '{kind}'");
        CheckLimits(name, options, manifest.Files.Count, manifest.TotalSize);
        store.RefuseTaken(name, options.Replace);

        var absent = new List<string>();
        foreach (var file in manifest.Files)
        {
            var path = ModelPath.Combine(folder, file.Path);
            if (!File.Exists(path))
                absent.Add($"'{file.Path}' is missing");
            else if (ModelPath.LinkEscape(folder, path, file.Path) is { } escape)
                absent.Add(escape);
        }

        if (absent.Count > 0)
            throw Refused(name, string.Join("; ", absent));
        var staging = store.NewStagingDirectory(name);
        return Staged(staging, () =>
        {
            foreach (var file in manifest.Files)
                StagedCopy.Copy(ModelPath.Combine(folder, file.Path), staging, file.Path, cancellationToken);
            return store.Install(staging, manifest, check, options.Replace, filesHashed: false, cancellationToken);
        });
    }

    private InstalledModel ImportDiffusers(string folder, string name, ModelImportOptions options, Func<string, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        if (options.Kind is { } kind && kind != ModelKind.Diffusion)
            throw Refused(name, $"'{folder}' is a diffusers folder ({DiffusersLayout.IndexFile}), which is kind '{ModelKind.Diffusion}', not '{kind}'");
        if (DiffusersLayout.Missing(folder) is { Count: > 0 } missing)
            throw Refused(name, $"the diffusers folder '{folder}' lacks {string.Join(", ", missing)}");
        var files = SourceFiles(folder, name, options);
        return ImportMade(folder, files, name, ModelKind.Diffusion, DiffusersLayout.Operations(folder), options, check, cancellationToken);
    }

    private InstalledModel ImportGraph(string folder, IReadOnlyList<string> files, string name, ModelImportOptions options, Func<string, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        if (options.Kind is not { } kind)
            throw Refused(name, $"'{folder}' has one .onnx graph and no {ModelManifest.FileName}: say which kind it is ({string.Join(", ", KindOperations.Kinds)})");
        if (!KindOperations.Kinds.Contains(kind))
            throw Refused(name, kind == ModelKind.Diffusion
                ? $"a '{ModelKind.Diffusion}' model is a diffusers folder with {DiffusersLayout.IndexFile}, not one .onnx graph"
                : $"the kind '{kind}' is unknown (known: {string.Join(", ", KindOperations.Kinds)})");
        return ImportMade(folder, files, name, kind, KindOperations.For(kind), options, check, cancellationToken);
    }

    private InstalledModel ImportMade(
        string folder,
        IReadOnlyList<string> files,
        string name,
        string kind,
        IReadOnlyList<string> operations,
        ModelImportOptions options,
        Func<string, IReadOnlyList<string>>? check,
        CancellationToken cancellationToken)
    {
        ModelName.Validate(name);
        CheckLimits(name, options, files.Count, files.Sum(f => new FileInfo(f).Length));
        store.RefuseTaken(name, options.Replace);
        var staging = store.NewStagingDirectory(name);
        return Staged(staging, () =>
        {
            var copied = files.Select(f => StagedCopy.Copy(f, staging, ModelPath.Relative(folder, f), cancellationToken)).ToList();
            var licence = options.LicenceId is { Length: > 0 } id
                ? new ModelLicence(id)
                : new ModelLicence(UnknownLicenceId, Text: UnknownLicenceNote);
            var manifest = new ModelManifest(name, kind, LocalVersion, copied, licence, operations,
                Description: $"Imported from {folder}");
            return store.Install(staging, manifest, check, options.Replace, filesHashed: true, cancellationToken);
        });
    }

    /// <summary>
    /// An ncnn model (.param + .bin beside it) converted to ONNX in staging (<see cref="Ncnn.NcnnImport"/>);
    /// a layer type the converter does not know refuses the import, naming the layer.
    /// </summary>
    private InstalledModel ImportNcnn(string paramPath, ModelImportOptions options, Func<string, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        var name = options.Name ?? Ncnn.NcnnImport.DefaultName(paramPath);
        ModelName.Validate(name);
        if (options.Kind is { } kind && kind != ModelKind.Upscale)
            throw Refused(name, $"an ncnn model is imported as kind '{ModelKind.Upscale}' (×1 for denoisers), not '{kind}'");
        var binPath = Path.ChangeExtension(paramPath, ".bin");
        CheckLimits(name, options, 3, new FileInfo(paramPath).Length + (File.Exists(binPath) ? new FileInfo(binPath).Length * 3 : 0));
        store.RefuseTaken(name, options.Replace);
        var staging = store.NewStagingDirectory(name);
        return Staged(staging, () =>
        {
            ModelManifest manifest;
            try
            {
                manifest = Ncnn.NcnnImport.Stage(paramPath, staging, name, options, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or IOException)
            {
                throw Refused(name, $"ncnn model '{Path.GetFileName(paramPath)}': {e.Message.TrimEnd('.')}");
            }

            return store.Install(staging, manifest, check, options.Replace, filesHashed: true, cancellationToken);
        });
    }

    /// <summary>Every file under <paramref name="folder"/> except a manifest, refusing links that lead outside it.</summary>
    private static IReadOnlyList<string> SourceFiles(string folder, string name, ModelImportOptions options)
    {
        var files = new List<string>();
        foreach (var file in Walk(folder, name))
        {
            var relative = ModelPath.Relative(folder, file);
            if (relative == ModelManifest.FileName)
                continue;
            if (ModelPath.LinkEscape(folder, file, relative) is { } escape)
                throw Refused(name, escape);
            if (ModelPath.Problem(relative) is { } problem)
                throw Refused(name, problem);
            files.Add(file);
            if (files.Count > options.MaxFiles)
                throw new ModelStoreException(name, ModelStoreError.TooLarge, $"Model '{name}' was not imported: '{folder}' holds more than {options.MaxFiles} files.");
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Every file under <paramref name="folder"/>, not descending into linked folders: one leading
    /// out is refused, one leading inside only repeats what is there (or loops).
    /// </summary>
    private static IEnumerable<string> Walk(string folder, string name)
    {
        var enumeration = new FileSystemEnumerable<(string Path, bool IsDirectory, bool IsLink)>(
            folder,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory, entry.Attributes.HasFlag(FileAttributes.ReparsePoint)),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !entry.Attributes.HasFlag(FileAttributes.ReparsePoint),
        };
        foreach (var (path, isDirectory, isLink) in enumeration)
        {
            if (!isDirectory)
                yield return path;
            else if (isLink && ModelPath.LinkEscape(folder, path, ModelPath.Relative(folder, path)) is { } escape)
                throw Refused(name, escape);
        }
    }

    private void CheckLimits(string name, ModelImportOptions options, int fileCount, long totalBytes)
    {
        if (fileCount > options.MaxFiles)
            throw new ModelStoreException(name, ModelStoreError.TooLarge, $"Model '{name}' was not imported: it has {fileCount} files, more than the limit of {options.MaxFiles}.");
        if (totalBytes > options.MaxTotalBytes)
            throw new ModelStoreException(name, ModelStoreError.TooLarge, $"Model '{name}' was not imported: it is {totalBytes} bytes, more than the limit of {options.MaxTotalBytes}.");
        Directory.CreateDirectory(store.Root);
        var free = new DriveInfo(store.Root).AvailableFreeSpace;
        if (totalBytes > free)
            throw new ModelStoreException(name, ModelStoreError.TooLarge, $"Model '{name}' was not imported: it needs {totalBytes} bytes and the model store's disk has {free} free.");
    }

    /// <summary>Runs <paramref name="install"/>; on any failure the staging folder goes, so nothing half-made stays.</summary>
    private static InstalledModel Staged(string staging, Func<InstalledModel> install)
    {
        try
        {
            return install();
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static ModelStoreException Refused(string name, string problem) =>
        new(name, ModelStoreError.Invalid, $"Model '{name}' was not imported: {problem}.");
}
