using EditorBridge.Installer.Autostart;
using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Host;
using EditorBridge.Installer.Manifest;
using EditorBridge.Installer.Payloads;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// Works out what an install will do, touching nothing: each file compared by SHA-256 with what
/// is there (same: unchanged; ours from the last install: update; someone else's: kept as a
/// backup and replaced), each link, the kritarc key, the registry values, and what the last
/// install had that this one no longer has.
/// </summary>
internal sealed class InstallPlanner
{
    public const string UninstallKey = @"Software\Microsoft\Windows\CurrentVersion\Uninstall\EditorBridge";
    public const string EnvironmentKey = "Environment";

    private const string ProgramComponent = "program";
    private const string CommandComponent = "command";
    private const string PaintDotNetComponent = "Paint.NET plugin";
    private const string AutostartComponent = "start at login";
    private const string WindowsComponent = "Windows entries";

    private readonly SetupEnvironment env;
    private readonly SetupOptions options;
    private readonly Payload payload;
    private readonly InstallManifest? old;
    private readonly Reporter report;
    private readonly InstallPlan plan = new();
    private readonly StringComparer paths;

    public InstallPlanner(SetupEnvironment env, SetupOptions options, Payload payload, InstallManifest? old, Reporter report)
    {
        this.env = env;
        this.options = options;
        this.payload = payload;
        this.old = old;
        this.report = report;
        paths = PathComparer(env.Folders.Platform);
    }

    private InstallLayout Layout => env.Layout;

    private UserFolders Folders => env.Folders;

    public static StringComparer PathComparer(HostPlatform platform) =>
        platform == HostPlatform.Linux ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    public InstallPlan Build()
    {
        PlanProgram();
        PlanCommandLinks();
        PlanKrita();
        PlanPaintDotNet();
        PlanAutostart();
        PlanWindowsEntries();
        PlanObsolete();
        PlanDirectories();
        PlanDaemonStop();
        return plan;
    }

    private void PlanProgram()
    {
        var files = payload.AppFiles();
        foreach (var f in files)
        {
            var executable = f.RelativePath is "editorbridge" or "editorbridge.exe";
            plan.Files.Add(FileFrom(ProgramComponent, Path.Combine(Layout.AppDirectory, f.RelativePath), f.Source, null, executable));
        }

        if (env.SelfExecutable is { } self)
            plan.Files.Add(FileFrom(ProgramComponent, Layout.SetupExecutable, self, null, executable: true));
        plan.Components.Add(new(ProgramComponent, Layout.AppDirectory, $"EditorBridge {payload.Version}: daemon, CLI and engines ({Counted(ProgramComponent)})"));
    }

    private void PlanCommandLinks()
    {
        if (Layout.BinDirectory is null)
            return;
        if (File.Exists(Path.Combine(payload.AppDirectory, "editorbridge")))
            plan.Links.Add(LinkTo(CommandComponent, Layout.CommandLink!, Layout.DaemonExecutable));
        if (env.SelfExecutable is not null)
            plan.Links.Add(LinkTo(CommandComponent, Layout.SetupLink!, Layout.SetupExecutable));
        if (plan.Links.Count == 0)
            return;
        plan.Components.Add(new(CommandComponent, Layout.BinDirectory, string.Join(", ", plan.Links.Select(l => Path.GetFileName(l.Path)))));
        var onPath = Folders.PathFolders.Any(p => paths.Equals(Path.TrimEndingDirectorySeparator(p), Layout.BinDirectory));
        if (!onPath)
            plan.Notes.Add($"{Layout.BinDirectory} is not on your PATH yet: most systems add it when you log in again. The Krita plugin looks for 'editorbridge' on PATH; "
                           + $"you can also give it the program's path ({Layout.DaemonExecutable}) in its settings.");
    }

    private void PlanKrita()
    {
        var kritas = KritaLocator.Find(Folders);
        var found = kritas.Where(k => k.Detected).ToList();
        if (!options.Krita)
        {
            plan.Components.Add(new("Krita plugin", "-", "skipped (--no-krita)"));
            return;
        }

        if (found.Count == 0)
        {
            plan.Components.Add(new("Krita plugin", "-", "Krita was not found (looked for " + string.Join("; ", kritas.Select(k => k.KritarcPath)) + ")"));
            plan.Notes.Add("Krita was not found. If you install Krita later, run editorbridge-setup again to add the Krita plugin.");
            return;
        }

        if (payload.KritaDirectory is null)
        {
            report.Warn("Krita is installed, but this package has no Krita plugin: only the daemon and the command line are installed.");
            return;
        }

        var files = payload.KritaFiles();
        foreach (var krita in found)
        {
            var component = $"Krita plugin ({krita.Name})";
            foreach (var f in files)
                plan.Files.Add(FileFrom(component, Path.Combine(krita.PluginDirectory, f.RelativePath), f.Source, null, executable: false));
            plan.Components.Add(new(component, krita.PluginDirectory, $"{string.Join(", ", payload.KritaPlugins.Select(p => p.Library))} ({Counted(component)}); found by its {krita.Evidence}"));
            foreach (var plugin in payload.KritaPlugins)
                PlanKritarc(krita, plugin);
        }

        var changes = plan.Files.Any(f => f.Component.StartsWith("Krita plugin", StringComparison.Ordinal) && f.Changes) || plan.Kritarc.Any(k => k.Changes);
        var running = changes ? env.Processes.Running("krita") : [];
        if (running.Count > 0)
            report.Warn($"Krita is running (process {string.Join(", ", running)}). Quit Krita and start it again to load EditorBridge: Krita reads its plugins and kritarc only when it starts.");
        else
            plan.Notes.Add("Start Krita: EditorBridge is under Settings > Dockers > EditorBridge (enabled in Settings > Configure Krita > Python Plugin Manager).");
    }

    private void PlanKritarc(KritaInstallation krita, KritaPlugin plugin)
    {
        var path = krita.KritarcPath;
        byte[]? before = null;
        try
        {
            if (Directory.Exists(path))
                throw new IOException($"{path} is a folder, not a settings file");
            if (File.Exists(path))
                before = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Warn($"cannot read {path} ({e.Message}); it was left as it is. Enable {plugin.Library} in Krita yourself: Settings > Configure Krita > Python Plugin Manager, then restart Krita.");
            return;
        }

        try
        {
            var (after, edit) = Kritarc.Set(before, "python", plugin.EnableKey, "true");
            var earlier = old?.Kritarc.FirstOrDefault(e => paths.Equals(e.Path, path) && e.Edit.Key == plugin.EnableKey);
            plan.Kritarc.Add(new KritarcStep(path, krita.Name, before, after, earlier?.Edit ?? edit));
        }
        catch (KritarcUnreadableException e)
        {
            report.Warn($"{path}: {e.Message}. It was left untouched (nothing of it is lost). Enable {plugin.Library} in Krita yourself: "
                        + "Settings > Configure Krita > Python Plugin Manager, then restart Krita.");
        }
    }

    private void PlanPaintDotNet()
    {
        if (Folders.Platform != HostPlatform.Windows)
        {
            plan.Components.Add(new(PaintDotNetComponent, "-", "Paint.NET runs on Windows only"));
            return;
        }

        if (!options.PaintDotNet)
        {
            plan.Components.Add(new(PaintDotNetComponent, "-", "skipped (--no-paintdotnet)"));
            return;
        }

        var pdn = PaintDotNetLocator.Find(Folders);
        if (!pdn.Detected)
        {
            plan.Components.Add(new(PaintDotNetComponent, "-", "Paint.NET was not found (neither the classic edition in Program Files nor the Microsoft Store edition)"));
            return;
        }

        if (payload.PaintDotNetDirectory is null)
        {
            report.Warn("Paint.NET is installed, but this package has no Paint.NET plugin (it is built on Windows against Paint.NET; see docs/install.md).");
            return;
        }

        foreach (var f in payload.PaintDotNetFiles())
            plan.Files.Add(FileFrom(PaintDotNetComponent, Path.Combine(pdn.PluginDirectory, f.RelativePath), f.Source, null, executable: false));
        plan.Components.Add(new(PaintDotNetComponent, pdn.PluginDirectory, $"{Counted(PaintDotNetComponent)}; for the {string.Join(" and the ", pdn.Editions)}"));
        var running = plan.Files.Any(f => f.Component == PaintDotNetComponent && f.Changes) ? env.Processes.Running("paintdotnet") : [];
        if (running.Count > 0)
            report.Warn($"Paint.NET is running (process {string.Join(", ", running)}): close it before installing (it holds its plugins open), then start it again to load EditorBridge.");
        else
            plan.Notes.Add("Start Paint.NET: EditorBridge is under Effects > EditorBridge.");
    }

    private void PlanAutostart()
    {
        var chosen = options.Autostart ?? old?.Autostart ?? false;
        plan.AutostartChosen = chosen;
        if (!chosen)
        {
            plan.Components.Add(new(AutostartComponent, "-", "off (the editors start the daemon when they need it; --autostart turns this on)"));
            return;
        }

        var daemon = Layout.DaemonExecutable;
        switch (Folders.Platform)
        {
            case HostPlatform.Linux:
                var unit = AutostartEntries.SystemdUnitPath(Folders);
                plan.Files.Add(FileFrom(AutostartComponent, unit, null, AutostartEntries.SystemdUnit(daemon), executable: false));
                plan.Links.Add(LinkTo(AutostartComponent, AutostartEntries.SystemdWantsLink(Folders), unit));
                plan.Components.Add(new(AutostartComponent, unit, "systemd user unit, enabled for default.target"));
                break;
            case HostPlatform.MacOS:
                var agent = AutostartEntries.LaunchAgentPath(Folders);
                plan.Files.Add(FileFrom(AutostartComponent, agent, null, AutostartEntries.LaunchAgent(daemon), executable: false));
                plan.Components.Add(new(AutostartComponent, agent, "launchd agent (from your next login)"));
                break;
            case HostPlatform.Windows when env.Registry is not null:
                plan.Registry.Add(RegistryValueStep(AutostartEntries.RunKey, AutostartEntries.RunValueName, new RegistryValue(AutostartEntries.RunCommand(daemon), RegistryKind.String), AutostartComponent));
                plan.Components.Add(new(AutostartComponent, $@"HKCU\{AutostartEntries.RunKey}\{AutostartEntries.RunValueName}", "from your next login"));
                break;
        }
    }

    private void PlanWindowsEntries()
    {
        if (Folders.Platform != HostPlatform.Windows || env.Registry is null)
            return;
        if (env.SelfExecutable is not null)
        {
            var size = plan.Files.Where(f => f.Component == ProgramComponent).Sum(f => f.Size) / 1024;
            var values = new (string Name, RegistryValue Value)[]
            {
                ("DisplayName", new("EditorBridge", RegistryKind.String)),
                ("DisplayVersion", new(payload.Version, RegistryKind.String)),
                ("Publisher", new("EditorBridge", RegistryKind.String)),
                ("InstallLocation", new(Layout.AppDirectory, RegistryKind.String)),
                ("DisplayIcon", new(Layout.DaemonExecutable, RegistryKind.String)),
                ("UninstallString", new($"\"{Layout.SetupExecutable}\" --uninstall", RegistryKind.String)),
                ("NoModify", new("1", RegistryKind.DWord)),
                ("NoRepair", new("1", RegistryKind.DWord)),
                ("EstimatedSize", new(Math.Min(size, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), RegistryKind.DWord)),
            };
            foreach (var (name, value) in values)
                plan.Registry.Add(RegistryValueStep(UninstallKey, name, value, WindowsComponent));
            plan.Components.Add(new(WindowsComponent, $@"HKCU\{UninstallKey}", "listed in Settings > Apps (uninstall from there)"));
        }

        if (!options.UserPath)
            return;
        var folder = Layout.AppDirectory;
        var current = env.Registry.Get(EnvironmentKey, "Path")?.Data ?? "";
        var present = current.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(p => string.Equals(p.TrimEnd('\\'), folder.TrimEnd('\\'), StringComparison.OrdinalIgnoreCase));
        var ours = old?.UserPath.Contains(folder, StringComparer.OrdinalIgnoreCase) ?? false;
        if (!present || ours)
            plan.UserPath.Add(new PathStep(folder, Changes: !present));
        plan.Components.Add(new("PATH", folder, present ? "already on your PATH" : "added to your PATH (programs started from now on find 'editorbridge')"));
    }

    private void PlanObsolete()
    {
        if (old is null)
            return;
        var files = plan.Files.Select(f => f.Destination).ToHashSet(paths);
        plan.ObsoleteFiles.AddRange(old.Files.Where(f => !files.Contains(f.Path)));
        var links = plan.Links.Select(l => l.Path).ToHashSet(paths);
        plan.ObsoleteLinks.AddRange(old.Links.Where(l => !links.Contains(l.Path)));
        plan.ObsoleteKritarc.AddRange(old.Kritarc.Where(k => !plan.Kritarc.Any(n => paths.Equals(n.Path, k.Path) && n.Edit.Key == k.Edit.Key)));
        plan.ObsoleteRegistry.AddRange(old.Registry.Where(r => !plan.Registry.Any(n => n.Entry.Key == r.Key && n.Entry.Name == r.Name)));
        plan.ObsoleteUserPath.AddRange(old.UserPath.Where(p => !plan.UserPath.Any(n => string.Equals(n.Folder, p, StringComparison.OrdinalIgnoreCase))));
    }

    private void PlanDirectories()
    {
        var parents = plan.Files.Where(f => f.Changes).Select(f => Path.GetDirectoryName(f.Destination)!)
            .Concat(plan.Links.Where(l => l.Changes).Select(l => Path.GetDirectoryName(l.Path)!))
            .Concat(plan.Kritarc.Where(k => k.Changes).Select(k => Path.GetDirectoryName(k.Path)!))
            .Prepend(Layout.AppDirectory);
        var seen = new HashSet<string>(paths);
        foreach (var parent in parents)
        {
            foreach (var missing in FileOps.MissingDirectories(parent))
            {
                if (seen.Add(missing))
                    plan.NewDirectories.Add(missing);
            }
        }
    }

    private void PlanDaemonStop()
    {
        var programChanges = plan.Files.Any(f => f.Component == ProgramComponent && f.Changes)
                             || plan.ObsoleteFiles.Any(f => f.Component == ProgramComponent);
        if (programChanges && Directory.Exists(Layout.AppDirectory))
            plan.DaemonsToStop.AddRange(env.Processes.RunningFrom(Layout.AppDirectory));
    }

    private FileStep FileFrom(string component, string destination, string? source, byte[]? content, bool executable)
    {
        var sha = source is not null ? FileOps.Sha256Of(source) : FileOps.Sha256Of(content!);
        var size = source is not null ? new FileInfo(source).Length : content!.LongLength;
        if (Directory.Exists(destination) && !FileOps.IsLink(destination))
            throw new SetupException($"{destination} is a folder, but EditorBridge needs to put a file there. Move the folder away and run editorbridge-setup again");
        FileAction action;
        string? existing = null;
        if (!FileOps.Exists(destination))
        {
            action = FileAction.Add;
        }
        else if (FileOps.IsLink(destination))
        {
            action = FileAction.Replace;
        }
        else
        {
            existing = FileOps.Sha256Of(destination);
            var earlier = old?.Files.FirstOrDefault(e => paths.Equals(e.Path, destination));
            action = existing == sha ? FileAction.Unchanged
                : earlier is not null && earlier.IsOurs(existing) ? FileAction.Update
                : FileAction.Replace;
        }

        if (action == FileAction.Replace)
            report.Warn($"{destination} was not installed by EditorBridge (or was changed since): it is kept as {Path.GetFileName(destination)}{FileOps.BackupSuffix} beside the new one.");
        return new FileStep(component, destination, source, content, sha, size, executable, action, existing);
    }

    private LinkStep LinkTo(string component, string path, string target)
    {
        if (!FileOps.Exists(path))
            return new LinkStep(component, path, target, LinkAction.Add, null);
        var current = FileOps.IsLink(path) ? new FileInfo(path).LinkTarget : null;
        if (current is not null && paths.Equals(current, target))
            return new LinkStep(component, path, target, LinkAction.Unchanged, current);
        if (current is not null && old is not null && old.Links.Any(l => paths.Equals(l.Path, path)))
            return new LinkStep(component, path, target, LinkAction.Update, current);
        report.Warn($"{path} already exists and is not EditorBridge's: it was left as it is (the program is {target}).");
        return new LinkStep(component, path, target, LinkAction.Blocked, current);
    }

    private RegistryStep RegistryValueStep(string key, string name, RegistryValue value, string component)
    {
        var current = env.Registry!.Get(key, name);
        var earlier = old?.Registry.FirstOrDefault(r => r.Key == key && r.Name == name);
        var entry = earlier is not null
            ? earlier with { Value = value, Component = component }
            : new RegistryEntry(key, name, value, current, !env.Registry.KeyExists(key), component);
        return new RegistryStep(entry, current);
    }

    private string Counted(string component)
    {
        var files = plan.Files.Where(f => f.Component == component).ToList();
        var added = files.Count(f => f.Action == FileAction.Add);
        var changed = files.Count(f => f.Action is FileAction.Update or FileAction.Replace);
        var what = $"{files.Count} files, {Reporter.Size(files.Sum(f => f.Size))}";
        if (added == files.Count)
            return what;
        if (added == 0 && changed == 0)
            return what + ", all in place";
        return what + $": {added} new, {changed} updated";
    }
}
