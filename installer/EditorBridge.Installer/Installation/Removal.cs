using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Host;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Installation;

internal enum RemoveOutcome
{
    Removed,
    AlreadyGone,

    /// <summary>Changed since it was installed: it is the user's now and stays.</summary>
    KeptModified,

    /// <summary>Something else stands at the path now (a different link, a file of the user's): left alone.</summary>
    NotOurs,
}

/// <summary>Taking back what an install did, one entry of the manifest at a time; shared by --uninstall and upgrades.</summary>
internal static class Removal
{
    public static RemoveOutcome File(FileEntry entry, bool dryRun)
    {
        if (FileOps.IsLink(entry.Path))
            return RemoveOutcome.NotOurs;
        if (!System.IO.File.Exists(entry.Path))
            return RemoveOutcome.AlreadyGone;
        if (!entry.IsOurs(FileOps.Sha256Of(entry.Path)))
            return RemoveOutcome.KeptModified;
        if (!dryRun)
            DeleteFile(entry.Path);
        return RemoveOutcome.Removed;
    }

    public static RemoveOutcome Link(LinkEntry entry, StringComparer paths, bool dryRun)
    {
        if (!FileOps.IsLink(entry.Path))
            return FileOps.Exists(entry.Path) ? RemoveOutcome.NotOurs : RemoveOutcome.AlreadyGone;
        if (!paths.Equals(new FileInfo(entry.Path).LinkTarget, entry.Target))
            return RemoveOutcome.NotOurs;
        if (!dryRun)
            System.IO.File.Delete(entry.Path);
        return RemoveOutcome.Removed;
    }

    /// <summary>kritarc with the key back as it was before the first install; throws <see cref="KritarcUnreadableException"/> when the file is no longer text.</summary>
    public static RemoveOutcome Kritarc(KritarcEntry entry, bool dryRun)
    {
        if (!System.IO.File.Exists(entry.Path))
            return RemoveOutcome.AlreadyGone;
        var current = System.IO.File.ReadAllBytes(entry.Path);
        var restored = Editors.Kritarc.Undo(current, entry.Edit);
        if (restored is not null && restored.AsSpan().SequenceEqual(current))
            return RemoveOutcome.AlreadyGone;
        if (!dryRun)
            Transaction.WriteAtomically(entry.Path, restored);
        return RemoveOutcome.Removed;
    }

    public static RemoveOutcome Registry(IUserRegistry registry, RegistryEntry entry, bool dryRun)
    {
        var current = registry.Get(entry.Key, entry.Name);
        if (current is null)
            return RemoveOutcome.AlreadyGone;
        if (current != entry.Value)
            return RemoveOutcome.NotOurs;
        if (!dryRun)
        {
            if (entry.Previous is null)
                registry.Delete(entry.Key, entry.Name);
            else
                registry.Set(entry.Key, entry.Name, entry.Previous);
            if (entry.CreatedKey)
                registry.DeleteKeyIfEmpty(entry.Key);
        }

        return RemoveOutcome.Removed;
    }

    public static RemoveOutcome UserPath(IUserRegistry registry, string folder, bool dryRun)
    {
        var current = registry.Get(InstallPlanner.EnvironmentKey, "Path");
        if (current is null)
            return RemoveOutcome.AlreadyGone;
        var parts = current.Data.Split(';');
        var kept = parts.Where(p => !string.Equals(p.Trim().TrimEnd('\\'), folder.TrimEnd('\\'), StringComparison.OrdinalIgnoreCase)).ToArray();
        if (kept.Length == parts.Length)
            return RemoveOutcome.AlreadyGone;
        if (!dryRun)
        {
            if (kept.All(string.IsNullOrWhiteSpace))
                registry.Delete(InstallPlanner.EnvironmentKey, "Path");
            else
                registry.Set(InstallPlanner.EnvironmentKey, "Path", current with { Data = string.Join(';', kept) });
        }

        return RemoveOutcome.Removed;
    }

    /// <summary>Python writes __pycache__/*.pyc beside the plugin's modules when Krita loads it; they go with the plugin.</summary>
    public static void PythonCaches(IEnumerable<string> packageFolders, bool dryRun)
    {
        foreach (var folder in packageFolders.Distinct())
        {
            var cache = Path.Combine(folder, "__pycache__");
            if (!Directory.Exists(cache) || FileOps.IsLink(cache))
                continue;
            var entries = Directory.EnumerateFileSystemEntries(cache).ToList();
            if (entries.Any(e => Directory.Exists(e) || !e.EndsWith(".pyc", StringComparison.OrdinalIgnoreCase)))
                continue;
            if (dryRun)
                continue;
            foreach (var pyc in entries)
                System.IO.File.Delete(pyc);
            Directory.Delete(cache);
        }
    }

    /// <summary>
    /// The folders an uninstall may remove once empty: those the install created, and the
    /// folders between them and the files it put there (a subfolder of the program folder).
    /// </summary>
    public static List<string> CreatedFolders(IReadOnlyList<string> created, IEnumerable<string> installedPaths, StringComparer comparer)
    {
        var result = new HashSet<string>(created, comparer);
        foreach (var path in installedPaths)
        {
            var chain = new List<string>();
            for (var d = Path.GetDirectoryName(path); !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
            {
                if (result.Contains(d))
                {
                    result.UnionWith(chain);
                    break;
                }

                chain.Add(d);
            }
        }

        return [.. result];
    }

    /// <summary>Removes the folders that are empty, deepest first.</summary>
    public static List<string> EmptyDirectories(IEnumerable<string> directories, bool dryRun)
    {
        var removed = new List<string>();
        foreach (var d in directories.Distinct().OrderByDescending(d => d.Length))
        {
            if (!Directory.Exists(d) || FileOps.IsLink(d) || Directory.EnumerateFileSystemEntries(d).Any(e => !removed.Contains(e)))
                continue;
            if (!dryRun)
                Directory.Delete(d);
            removed.Add(d);
        }

        return removed;
    }

    private static void DeleteFile(string path)
    {
        // Windows cannot delete the program that is running (editorbridge-setup --uninstall run
        // from the program folder): move it to the temporary folder instead.
        if (OperatingSystem.IsWindows() && string.Equals(path, Environment.ProcessPath, StringComparison.OrdinalIgnoreCase))
        {
            System.IO.File.Move(path, Path.Combine(Path.GetTempPath(), $"editorbridge-setup-{Guid.NewGuid():N}.exe"));
            return;
        }

        System.IO.File.Delete(path);
    }
}
