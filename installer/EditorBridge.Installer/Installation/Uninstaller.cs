using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Manifest;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// --uninstall: takes off exactly what the manifest lists. A file whose hash no longer matches
/// was changed by the user and stays (with a warning); kritarc gets the old value of our key
/// back (the rest of the file as Krita left it); folders go only when the install created them
/// and they are empty. The daemon's state (token, settings.json, log) and models stay unless
/// --purge.
/// </summary>
public sealed class Uninstaller(SetupEnvironment env, UninstallOptions options, Reporter report)
{
    private InstallLayout Layout => env.Layout;

    public int Run()
    {
        var verb = options.DryRun ? "Would remove" : "Removing";
        report.Line($"EditorBridge setup: uninstalling for this user{(options.DryRun ? " (dry run: nothing will be changed)" : "")}");
        int result = ExitCodes.Ok;
        if (File.Exists(Layout.ManifestPath))
        {
            InstallManifest manifest;
            try
            {
                manifest = InstallManifest.Parse(File.ReadAllBytes(Layout.ManifestPath), Layout.ManifestPath);
            }
            catch (ManifestException e)
            {
                report.Error($"{e.Message}. Without it the setup cannot tell which files are EditorBridge's, so it removes nothing. "
                             + $"Run editorbridge-setup (install) once to repair it, then uninstall; or delete {Layout.AppDirectory} yourself.");
                return ExitCodes.Failed;
            }

            report.Heading($"{verb} EditorBridge {manifest.Version}:");
            (result, var directories) = Remove(manifest);
            if (options.Purge)
                directories = [.. directories, .. Purge()];
            RemoveDirectories(directories);
            if (result == ExitCodes.Ok)
                report.Heading(options.DryRun ? "Dry run: nothing was changed." : "Done: EditorBridge was removed.");
        }
        else
        {
            report.Line($"  EditorBridge is not installed for this user (no {Layout.ManifestPath}).");
            if (options.Purge)
                RemoveDirectories(Purge());
        }

        if (!options.Purge && Directory.Exists(Layout.StateDirectory))
            report.Line($"Your settings and models stay in {Layout.StateDirectory}{(Directory.Exists(Layout.ModelsDirectory) ? $" and {Layout.ModelsDirectory}" : "")} (--purge deletes them).");

        report.WarningsAgain();
        return result == ExitCodes.Ok && report.Warnings.Count > 0 ? ExitCodes.DoneWithWarnings : result;
    }

    private (int Result, IReadOnlyList<string> Directories) Remove(InstallManifest manifest)
    {
        var dry = options.DryRun;
        if (!manifest.Complete && !dry)
            Recovery.Run(manifest);
        if (!dry)
            FileOps.DeleteIfThere(Layout.ManifestPath + FileOps.NewSuffix);

        var daemons = Directory.Exists(Layout.AppDirectory) ? env.Processes.RunningFrom(Layout.AppDirectory) : [];
        foreach (var pid in daemons)
        {
            report.Row("daemon", dry ? $"would stop the running daemon (process {pid})" : $"stopping the running daemon (process {pid})");
            if (!dry && !env.Processes.Stop(pid, TimeSpan.FromSeconds(10)))
                report.Warn($"the daemon (process {pid}) did not stop; its files may stay until it ends.");
        }

        if (manifest.Kritarc.Count > 0 && env.Processes.Running("krita") is { Count: > 0 } krita)
            report.Warn($"Krita is running (process {string.Join(", ", krita)}): it keeps EditorBridge loaded until you quit it.");

        var remaining = new Remaining(manifest);
        var comparer = InstallPlanner.PathComparer(env.Folders.Platform);

        // Settings and registry entries first: nothing points at the files once they go.
        foreach (var k in manifest.Kritarc)
        {
            Try(k.Path, remaining, () =>
            {
                var outcome = Removal.Kritarc(k, dry);
                report.Row("Krita settings", $"{k.Path}: {Describe(k.Edit)}{(outcome == RemoveOutcome.AlreadyGone ? " (nothing to undo)" : "")}");
                remaining.Kritarc.Remove(k);
            });
        }

        if (env.Registry is { } registry)
        {
            foreach (var r in manifest.Registry)
            {
                Try($@"HKCU\{r.Key}\{r.Name}", remaining, () =>
                {
                    if (Removal.Registry(registry, r, dry) == RemoveOutcome.NotOurs)
                        report.Row("registry", $@"HKCU\{r.Key}\{r.Name} was changed since the install: left as it is");
                    remaining.Registry.Remove(r);
                });
            }

            foreach (var p in manifest.UserPath)
            {
                Try("PATH", remaining, () =>
                {
                    if (Removal.UserPath(registry, p, dry) == RemoveOutcome.Removed)
                        report.Row("PATH", $"{p} taken off your PATH");
                    remaining.UserPath.Remove(p);
                });
            }

            if (!dry && manifest.UserPath.Count > 0)
                registry.BroadcastEnvironmentChange();
        }

        foreach (var l in manifest.Links)
        {
            Try(l.Path, remaining, () =>
            {
                var outcome = Removal.Link(l, comparer, dry);
                if (outcome == RemoveOutcome.NotOurs)
                    report.Row("kept", $"{l.Path} (no longer EditorBridge's link)");
                else if (outcome == RemoveOutcome.Removed)
                    report.Row(l.Component, $"{l.Path} {(dry ? "would be " : "")}removed");
                remaining.Links.Remove(l);
            });
        }

        int removed = 0, gone = 0;
        foreach (var group in manifest.Files.GroupBy(f => f.Component))
        {
            int groupRemoved = 0;
            foreach (var f in group)
            {
                Try(f.Path, remaining, () =>
                {
                    switch (Removal.File(f, dry))
                    {
                        case RemoveOutcome.Removed:
                            groupRemoved++;
                            break;
                        case RemoveOutcome.AlreadyGone:
                            gone++;
                            break;
                        case RemoveOutcome.KeptModified:
                            report.Warn($"{f.Path} was changed after it was installed: it was kept (delete it yourself if you do not need it).");
                            break;
                        case RemoveOutcome.NotOurs:
                            report.Warn($"{f.Path} is no longer the file EditorBridge installed: it was kept.");
                            break;
                    }

                    remaining.Files.Remove(f);
                });
            }

            removed += groupRemoved;
            var folder = CommonFolder(group.Select(f => f.Path));
            report.Row(group.Key, $"{folder}: {groupRemoved} of {group.Count()} files {(dry ? "would be " : "")}removed");
        }

        if (gone > 0)
            report.Row("note", $"{gone} file(s) were already gone");

        var packageFolders = manifest.Files.Where(f => f.Component.StartsWith("Krita", StringComparison.Ordinal)).Select(f => Path.GetDirectoryName(f.Path)!);
        Try("Python caches", remaining, () => Removal.PythonCaches(packageFolders, dry));
        if (remaining.Empty)
        {
            if (!dry)
                Try(Layout.ManifestPath, remaining, () => File.Delete(Layout.ManifestPath));
        }

        if (!remaining.Empty)
        {
            if (!dry)
                Transaction.WriteAtomically(Layout.ManifestPath, remaining.ToManifest().ToBytes());
            report.Error($"some things could not be removed (see above); {Layout.ManifestPath} lists them: run editorbridge-setup --uninstall again once the cause is fixed.");
            return (ExitCodes.Failed, []);
        }

        report.Row("files", $"{removed} {(dry ? "would be " : "")}removed");
        return (ExitCodes.Ok, Removal.CreatedFolders(manifest.Directories, manifest.Files.Select(f => f.Path).Concat(manifest.Links.Select(l => l.Path)), comparer));
    }

    /// <summary>The folders the install created go when they are empty (after --purge emptied the ones it could).</summary>
    private void RemoveDirectories(IReadOnlyList<string> directories)
    {
        try
        {
            var emptied = Removal.EmptyDirectories(directories, options.DryRun);
            foreach (var d in directories.Where(Directory.Exists).Except(emptied).Where(d => !options.DryRun).Distinct())
                report.Row("kept", $"{d} (it holds files that are not EditorBridge's)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Warn($"could not remove a folder the install created: {e.Message}");
        }
    }

    /// <summary>Deletes the daemon's state files and the models; returns the folders to remove when they are empty.</summary>
    private List<string> Purge()
    {
        var dry = options.DryRun;
        report.Heading(dry ? "Would delete your EditorBridge settings and models (--purge):" : "Deleting your EditorBridge settings and models (--purge):");
        var state = Layout.StateDirectory;
        foreach (var name in InstallLayout.StateFiles)
        {
            var path = Path.Combine(state, name);
            if (!File.Exists(path))
                continue;
            report.Row("delete", path);
            if (!dry)
                TryDelete(() => File.Delete(path), path);
        }

        foreach (var name in InstallLayout.StateFolders)
        {
            var path = Path.Combine(state, name);
            if (!Directory.Exists(path) || FileOps.IsLink(path))
                continue;
            report.Row("delete", path);
            if (!dry)
                TryDelete(() => Directory.Delete(path, recursive: true), path);
        }

        if (Directory.Exists(Layout.ModelsDirectory) && !FileOps.IsLink(Layout.ModelsDirectory))
        {
            report.Row("delete", $"{Layout.ModelsDirectory} (models)");
            if (!dry)
                TryDelete(() => Directory.Delete(Layout.ModelsDirectory, recursive: true), Layout.ModelsDirectory);
        }

        if (Layout.OnnxRuntimeCacheDirectory is { } ortCache && Directory.Exists(ortCache) && !FileOps.IsLink(ortCache))
        {
            report.Row("delete", $"{ortCache} (ONNX Runtime's telemetry cache)");
            if (!dry)
                TryDelete(() => Directory.Delete(ortCache, recursive: true), ortCache);
        }

        // The folders themselves go only when nothing else is left in them.
        var folders = new List<string> { state };
        if (Path.GetDirectoryName(Layout.ModelsDirectory) is { } modelsParent && !string.Equals(modelsParent, state, StringComparison.Ordinal))
            folders.Add(modelsParent);
        return folders;
    }

    private void TryDelete(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Warn($"could not delete {what}: {e.Message}");
        }
    }

    private void Try(string what, Remaining remaining, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            remaining.Failed = true;
            report.Warn($"could not undo {what}: {SetupErrors.Describe(e, what)}");
        }
        catch (KritarcUnreadableException e)
        {
            report.Warn($"{what}: {e.Message}; it was left as it is (remove the line with enable_… in its [python] group yourself if you like).");
        }
    }

    private static string Describe(KritarcEdit edit) =>
        edit.Previous is null ? $"{edit.Key} taken out of [{edit.Section}]" : $"{edit.Key} set back to {edit.Previous}";

    private static string CommonFolder(IEnumerable<string> paths)
    {
        var folders = paths.Select(p => Path.GetDirectoryName(p)!).ToList();
        var common = folders.MinBy(f => f.Length)!;
        while (common.Length > 0 && !folders.All(f => f.StartsWith(common, StringComparison.Ordinal)))
            common = Path.GetDirectoryName(common) ?? "";
        return common;
    }

    /// <summary>What is still on the machine after a failed removal, to be written back into the manifest.</summary>
    private sealed class Remaining(InstallManifest manifest)
    {
        public List<FileEntry> Files { get; } = [.. manifest.Files];

        public List<LinkEntry> Links { get; } = [.. manifest.Links];

        public List<KritarcEntry> Kritarc { get; } = [.. manifest.Kritarc];

        public List<RegistryEntry> Registry { get; } = [.. manifest.Registry];

        public List<string> UserPath { get; } = [.. manifest.UserPath];

        public bool Failed { get; set; }

        public bool Empty => !Failed && Files.Count == 0 && Links.Count == 0 && Kritarc.Count == 0 && Registry.Count == 0 && UserPath.Count == 0;

        public InstallManifest ToManifest() => manifest with
        {
            Files = Files,
            Links = Links,
            Kritarc = Kritarc,
            Registry = Registry,
            UserPath = UserPath,
        };
    }
}
