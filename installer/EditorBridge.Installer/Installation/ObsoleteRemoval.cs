using EditorBridge.Installer.Host;
using EditorBridge.Installer.Manifest;
using EditorBridge.Installer.Payloads;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// Undoes what the last install made and this one no longer needs, after the new files are in place:
/// each removal warns rather than fails, so the install itself stands.
/// </summary>
internal sealed class ObsoleteRemoval(SetupEnvironment env, Reporter report)
{
    /// <summary>What the last install had and this one does not: removed when unchanged; kept (and said) when the user changed it.</summary>
    public void Run(InstallPlan plan, InstallManifest? old)
    {
        var comparer = InstallPlanner.PathComparer(env.Folders.Platform);
        foreach (var f in plan.ObsoleteFiles)
        {
            try
            {
                if (Removal.File(f, dryRun: false) == RemoveOutcome.KeptModified)
                    report.Warn($"{f.Path} belonged to the last install and was changed since: it was kept.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Warn($"could not remove {f.Path}, which this version no longer needs: {e.Message}");
            }
        }

        foreach (var l in plan.ObsoleteLinks)
            TryOrWarn(() => Removal.Link(l, comparer, dryRun: false), l.Path);
        foreach (var k in plan.ObsoleteKritarc)
            TryOrWarn(() => Removal.Kritarc(k, dryRun: false), k.Path);
        if (env.Registry is { } registry)
        {
            foreach (var r in plan.ObsoleteRegistry)
                TryOrWarn(() => Removal.Registry(registry, r, dryRun: false), $@"HKCU\{r.Key}\{r.Name}");
            foreach (var p in plan.ObsoleteUserPath)
                TryOrWarn(() => Removal.UserPath(registry, p, dryRun: false), "PATH");
        }

        var packageFolders = plan.ObsoleteFiles.Where(f => f.Component.StartsWith("Krita", StringComparison.Ordinal)).Select(f => Path.GetDirectoryName(f.Path)!);
        TryOrWarn(() =>
        {
            Removal.PythonCaches(packageFolders, dryRun: false);
            // folders the last install created that nothing needs any more (a removed Krita plugin, say)
            var needed = NeededDirectories(plan);
            var created = Removal.CreatedFolders(old?.Directories ?? [], plan.ObsoleteFiles.Select(f => f.Path).Concat(plan.ObsoleteLinks.Select(l => l.Path)), comparer);
            Removal.EmptyDirectories(created.Where(d => !needed.Contains(d)), dryRun: false);
            return RemoveOutcome.Removed;
        }, "folders of the last install");
    }

    private void TryOrWarn(Func<RemoveOutcome> action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Editors.KritarcUnreadableException)
        {
            report.Warn($"could not undo the last install's change to {what}: {e.Message}");
        }
    }

    private HashSet<string> NeededDirectories(InstallPlan plan)
    {
        var needed = new HashSet<string>(InstallPlanner.PathComparer(env.Folders.Platform));
        foreach (var path in plan.Files.Select(f => f.Destination).Concat(plan.Kritarc.Select(k => k.Path)).Concat(plan.Links.Select(l => l.Path)))
        {
            for (var d = Path.GetDirectoryName(path); !string.IsNullOrEmpty(d) && needed.Add(d); d = Path.GetDirectoryName(d))
            {
            }
        }

        return needed;
    }

}
