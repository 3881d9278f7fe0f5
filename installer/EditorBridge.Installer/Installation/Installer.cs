using EditorBridge.Installer.Host;
using EditorBridge.Installer.Manifest;
using EditorBridge.Installer.Payloads;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// One install run: read the package and the last manifest, plan, check that everything can be
/// written (permissions, free space) before changing anything, then apply the plan as one
/// transaction behind a journal manifest, and say what went where.
/// </summary>
public sealed class Installer(SetupEnvironment env, SetupOptions options, Reporter report)
{
    private const long SpaceMargin = 1024 * 1024;

    private InstallLayout Layout => env.Layout;

    public int Run()
    {
        Payload payload;
        try
        {
            payload = Payload.Load(options.PayloadDirectory);
            CheckRuntime(payload);
        }
        catch (PayloadException e)
        {
            report.Error(e.Message);
            return ExitCodes.Failed;
        }

        report.Line($"EditorBridge {payload.Version} setup{(payload.Runtime is null ? "" : $" ({payload.Runtime})")}: installing for this user{(options.DryRun ? " (dry run: nothing will be changed)" : "")}");
        report.Row("package", payload.Root);
        CheckLibraries();

        var (old, oldBytes) = ReadManifest();
        if (old is { Complete: false })
        {
            report.Line("  The last install did not finish (it was interrupted): this run completes it.");
            if (!options.DryRun)
                Recovery.Run(old);
        }

        if (!options.DryRun)
            FileOps.DeleteIfThere(Layout.ManifestPath + FileOps.NewSuffix);

        InstallPlan plan;
        try
        {
            plan = new InstallPlanner(env, options, payload, old, report).Build();
        }
        catch (Exception e) when (e is SetupException or IOException or UnauthorizedAccessException)
        {
            report.Error(e is SetupException ? e.Message : SetupErrors.Describe(e));
            return ExitCodes.Failed;
        }

        report.Heading(options.DryRun ? "Would install:" : "Installs:");
        foreach (var c in plan.Components)
            report.Row(c.Name, c.Where == "-" ? c.Detail : $"{c.Where}\n  {"",-20} {c.Detail}");
        ReportObsolete(plan);

        // A run that finds every file in place still rewrites a manifest that is missing,
        // damaged or incomplete (an interrupted run), so that uninstall knows what is ours.
        var manifestStale = oldBytes is null || !Final(plan, payload, old).ToBytes().AsSpan().SequenceEqual(oldBytes);
        if (!plan.Changes && !manifestStale)
        {
            report.Heading($"Nothing to change: EditorBridge {payload.Version} is installed as it should be.");
            return Finish(plan);
        }

        if (options.DryRun)
        {
            if (plan.DaemonsToStop.Count > 0)
                report.Row("daemon", $"would stop the running daemon (process {string.Join(", ", plan.DaemonsToStop)}) before replacing its files");
            report.Heading($"Dry run: nothing was changed ({Reporter.Size(plan.BytesToWrite)} would be written).");
            return Finish(plan);
        }

        if (Preflight(plan) is { } problem)
        {
            report.Error(problem + ". Nothing was changed.");
            return ExitCodes.Failed;
        }

        report.Heading("Installing:");
        var transaction = new Transaction(env.BeforeWrite);
        try
        {
            Apply(plan, payload, old, oldBytes, transaction);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SetupException or InvalidOperationException)
        {
            report.EndStep("failed");
            var path = e is SetupException ? null : FailedPath(e);
            var failures = transaction.Rollback();
            report.Error(e is SetupException ? e.Message : SetupErrors.Describe(e, path));
            if (failures.Count == 0)
            {
                report.Line("Everything this run changed was put back as it was: nothing of yours was changed.");
            }
            else
            {
                report.Line("Most changes were put back, but not these (run editorbridge-setup again to finish or repair the install):");
                foreach (var f in failures)
                    report.Line($"  {f}");
            }

            return ExitCodes.Failed;
        }

        transaction.Commit();
        AfterCommit(plan);
        report.Heading($"Done: EditorBridge {payload.Version} is installed.");
        foreach (var backup in transaction.Backups)
            report.Row("kept", backup);
        return Finish(plan);
    }

    /// <summary>Native libraries the engines load that a package cannot carry (Linux: GTK 3 for OpenCV): a warning with the fix.</summary>
    private void CheckLibraries()
    {
        if (env.Folders.Platform == HostPlatform.Linux && env.HasLibrary is { } has && !has(SharedLibraries.Gtk3))
            report.Warn(SharedLibraries.Gtk3Missing);
    }

    private void CheckRuntime(Payload payload)
    {
        if (options.RequiredRuntime is null || payload.Runtime is null)
            return;
        if (!string.Equals(options.RequiredRuntime, payload.Runtime, StringComparison.OrdinalIgnoreCase))
            throw new PayloadException($"this package is for {payload.Runtime}, but this machine needs {options.RequiredRuntime}: download the {options.RequiredRuntime} archive");
    }

    private (InstallManifest? Manifest, byte[]? Bytes) ReadManifest()
    {
        if (!File.Exists(Layout.ManifestPath))
            return (null, null);
        var bytes = File.ReadAllBytes(Layout.ManifestPath);
        try
        {
            return (InstallManifest.Parse(bytes, Layout.ManifestPath), bytes);
        }
        catch (ManifestException e)
        {
            report.Warn($"{e.Message}: installing afresh. Files already in place are compared by content; a file that differs is kept as a backup.");
            return (null, bytes);
        }
    }

    private void ReportObsolete(InstallPlan plan)
    {
        if (plan.ObsoleteFiles.Count > 0)
            report.Row("removes", $"{plan.ObsoleteFiles.Count} file(s) of the last install that this version no longer has");
        foreach (var k in plan.ObsoleteKritarc)
            report.Row("restores", $"{k.Path} ({k.Edit.Key})");
        foreach (var k in plan.Kritarc)
            report.Row("Krita settings", $"{k.Path}: [{k.Edit.Section}] {k.Edit.Key}={k.Edit.Value}{(k.Changes ? "" : " (already set)")}");
    }

    /// <summary>Can every folder be written, and is there room? Checked before anything changes.</summary>
    private string? Preflight(InstallPlan plan)
    {
        var targets = plan.Files.Where(f => f.Changes).Select(f => f.Destination)
            .Concat(plan.Links.Where(l => l.Changes).Select(l => l.Path))
            .Concat(plan.Kritarc.Where(k => k.Changes).Select(k => k.Path))
            .Append(Layout.ManifestPath)
            .Select(p => FileOps.ExistingAncestor(Path.GetDirectoryName(p)!))
            .Distinct()
            .ToList();
        foreach (var folder in targets)
        {
            var probe = Path.Combine(folder, $".editorbridge-probe-{Environment.ProcessId}");
            try
            {
                env.BeforeWrite?.Invoke(probe);
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                FileOps.DeleteIfThere(probe);
                return SetupErrors.Describe(e, folder);
            }
        }

        var needed = plan.BytesToWrite + SpaceMargin;
        foreach (var folder in targets)
        {
            if (env.FreeBytes(folder) is { } free && free < needed)
                return $"not enough free space for {folder}: the install needs {Reporter.Size(needed)}, {Reporter.Size(free)} is free. Free some space and run editorbridge-setup again";
        }

        return null;
    }

    private void Apply(InstallPlan plan, Payload payload, InstallManifest? old, byte[]? oldBytes, Transaction tx)
    {
        foreach (var pid in plan.DaemonsToStop)
        {
            report.Row("daemon", $"stopping the running daemon (process {pid}) to replace its files; the editors start it again when they need it");
            if (!env.Processes.Stop(pid, TimeSpan.FromSeconds(10)))
                throw new SetupException($"the running daemon (process {pid}) did not stop; stop it and run editorbridge-setup again");
        }

        // The program folder first, then the journal: from here on a killed run is repaired by the next.
        foreach (var d in plan.NewDirectories.Where(d => IsAtOrAbove(d, Layout.AppDirectory)))
            tx.CreateDirectory(d);
        var journal = Journal(plan, payload, old);
        tx.PutBytes(Layout.ManifestPath, journal.ToBytes(), oldBytes);
        foreach (var d in plan.NewDirectories)
            tx.CreateDirectory(d);

        var components = plan.Files.Select(f => f.Component).Distinct().ToList();
        int stepCount = components.Count + (plan.Links.Any(l => l.Changes) ? 1 : 0) + (plan.Kritarc.Any(k => k.Changes) ? 1 : 0)
                        + (plan.Registry.Any(r => r.Changes) || plan.UserPath.Any(p => p.Changes) ? 1 : 0);
        int step = 0;
        foreach (var component in components)
        {
            var files = plan.Files.Where(f => f.Component == component).ToList();
            report.BeginStep(++step, stepCount, $"{component}:");
            int done = 0;
            long bytes = 0;
            foreach (var f in files)
            {
                if (f.Changes)
                    tx.PutFile(f);
                bytes += f.Size;
                report.Progress(++done, files.Count, bytes);
            }

            var changed = files.Count(f => f.Changes);
            report.EndStep(changed == 0 ? $"{files.Count} files already in place" : $"{changed} of {files.Count} files written ({Reporter.Size(files.Where(f => f.Changes).Sum(f => f.Size))})");
        }

        if (plan.Links.Any(l => l.Changes))
        {
            report.BeginStep(++step, stepCount, "links:");
            foreach (var l in plan.Links.Where(l => l.Changes))
                tx.PutLink(l);
            report.EndStep(string.Join(", ", plan.Links.Where(l => l.Changes).Select(l => $"{l.Path} -> {l.Target}")));
        }

        if (plan.Kritarc.Any(k => k.Changes))
        {
            report.BeginStep(++step, stepCount, "Krita settings:");
            foreach (var k in plan.Kritarc.Where(k => k.Changes))
                tx.PutBytes(k.Path, k.After, k.Before);
            report.EndStep("plugin enabled in " + string.Join(", ", plan.Kritarc.Where(k => k.Changes).Select(k => k.Path)));
        }

        if (plan.Registry.Any(r => r.Changes) || plan.UserPath.Any(p => p.Changes))
        {
            report.BeginStep(++step, stepCount, "Windows entries:");
            var registry = env.Registry ?? throw new SetupException("the Windows registry is not available");
            foreach (var r in plan.Registry.Where(r => r.Changes))
                tx.SetRegistry(registry, r.Entry.Key, r.Entry.Name, r.Entry.Value, r.Current, r.Entry.CreatedKey && r.Current is null);
            foreach (var p in plan.UserPath.Where(p => p.Changes))
            {
                var current = registry.Get(InstallPlanner.EnvironmentKey, "Path");
                var data = string.IsNullOrEmpty(current?.Data) ? p.Folder : current.Data.TrimEnd(';') + ";" + p.Folder;
                tx.SetRegistry(registry, InstallPlanner.EnvironmentKey, "Path", new RegistryValue(data, current?.Kind ?? RegistryKind.ExpandString), current, createdKey: false);
            }

            report.EndStep("done");
        }

        new ObsoleteRemoval(env, report).Run(plan, old);

        var final = Final(plan, payload, old);
        var finalBytes = final.ToBytes();
        if (oldBytes is null || !finalBytes.AsSpan().SequenceEqual(oldBytes))
            tx.PutBytes(Layout.ManifestPath, finalBytes, oldBytes);
    }


    private void AfterCommit(InstallPlan plan)
    {
        if (plan.UserPath.Any(p => p.Changes) || plan.ObsoleteUserPath.Count > 0)
            env.Registry?.BroadcastEnvironmentChange();
        var unitChanged = plan.Files.Any(f => f.Component == "start at login" && f.Changes && env.Folders.Platform == HostPlatform.Linux);
        if ((unitChanged || plan.ObsoleteFiles.Any(f => f.Component == "start at login")) && env.RunHelpers)
        {
            var (ok, output) = env.Commands.Run("systemctl", "--user", "daemon-reload");
            if (!ok)
                plan.Notes.Add($"systemd was not told about the unit now ({output.Split('\n')[0]}); it takes effect at your next login.");
        }
    }

    private int Finish(InstallPlan plan)
    {
        if (plan.Notes.Count > 0)
        {
            report.Heading("Next:");
            foreach (var note in plan.Notes)
                report.Line($"  - {note}");
        }

        report.Line();
        report.Line($"To remove EditorBridge: {UninstallCommand()} (add --purge to delete your settings and models too).");
        report.WarningsAgain();
        return report.Warnings.Count > 0 ? ExitCodes.DoneWithWarnings : ExitCodes.Ok;
    }

    private string UninstallCommand() =>
        env.SelfExecutable is not null || File.Exists(Layout.SetupExecutable)
            ? $"\"{Layout.SetupExecutable}\" --uninstall"
            : "editorbridge-setup --uninstall";

    private InstallManifest Journal(InstallPlan plan, Payload payload, InstallManifest? old) => new()
    {
        Version = payload.Version,
        Runtime = payload.Runtime,
        Complete = false,
        Autostart = plan.AutostartChosen,
        Files = plan.Files.Select(f => new FileEntry(f.Destination, f.Sha256, f.Size, f.Component, f.Action == FileAction.Update ? f.ExistingSha256 : null))
            .Concat(plan.ObsoleteFiles).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
        Links = plan.Links.Where(l => l.Action != LinkAction.Blocked).Select(l => new LinkEntry(l.Path, l.Target, l.Component)).Concat(plan.ObsoleteLinks).ToList(),
        Directories = (old?.Directories ?? []).Concat(plan.NewDirectories).Distinct().Order(StringComparer.Ordinal).ToList(),
        Kritarc = plan.Kritarc.Select(k => new KritarcEntry(k.Path, k.Krita, k.Edit)).Concat(plan.ObsoleteKritarc).ToList(),
        Registry = plan.Registry.Select(r => r.Entry).Concat(plan.ObsoleteRegistry).ToList(),
        UserPath = plan.UserPath.Select(p => p.Folder).Concat(plan.ObsoleteUserPath).ToList(),
    };

    private InstallManifest Final(InstallPlan plan, Payload payload, InstallManifest? old) => new()
    {
        Version = payload.Version,
        Runtime = payload.Runtime,
        Complete = true,
        Autostart = plan.AutostartChosen,
        Files = plan.Files.Select(f => new FileEntry(f.Destination, f.Sha256, f.Size, f.Component)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
        Links = plan.Links.Where(l => l.Action != LinkAction.Blocked).Select(l => new LinkEntry(l.Path, l.Target, l.Component)).ToList(),
        // the program folder is EditorBridge's own even when a damaged manifest forgot who created it
        Directories = (old?.Directories ?? []).Concat(plan.NewDirectories).Append(Layout.AppDirectory).Distinct().Where(Directory.Exists).Order(StringComparer.Ordinal).ToList(),
        Kritarc = plan.Kritarc.Select(k => new KritarcEntry(k.Path, k.Krita, k.Edit)).ToList(),
        Registry = plan.Registry.Select(r => r.Entry).ToList(),
        UserPath = plan.UserPath.Select(p => p.Folder).ToList(),
    };

    private bool IsAtOrAbove(string directory, string of)
    {
        var comparer = InstallPlanner.PathComparer(env.Folders.Platform);
        for (var d = of; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            if (comparer.Equals(d, directory))
                return true;
        }

        return false;
    }

    private static string? FailedPath(Exception e) => e.Data["path"] as string;
}
