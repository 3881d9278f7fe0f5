using EditorBridge.Installer.Autostart;
using EditorBridge.Installer.Host;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Platform;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// A Windows user and a macOS user simulated under a temporary folder, with the registry in
/// memory: the whole install and uninstall run through their rules (paths, Paint.NET editions,
/// the Store Krita, the Run key, the Uninstall entry, PATH, the launchd agent). What this cannot
/// show is the real machines' behaviour (Explorer, Paint.NET loading the plugin, launchd):
/// see docs/install.md.
/// </summary>
public sealed class OtherPlatformTests
{
    private const string UserPath = @"%USERPROFILE%\bin;C:\Tools";

    private static Sandbox WindowsPainter()
    {
        var box = new Sandbox(HostPlatform.Windows);
        Sandbox.Write(box.SystemRoot, "Program Files/paint.net/paintdotnet.exe", "");
        Sandbox.Write(box.SystemRoot, "Program Files/Krita (x64)/bin/krita.exe", "");
        box.WriteHome("AppData/Local/kritarc", "[General]\r\nfoo=bar\r\n");
        Directory.CreateDirectory(box.InHome("AppData/Local/Packages/49800KritaProject.Krita_7yn9vz8r3yc9p/LocalCache"));
        box.Registry.Set(InstallPlanner.EnvironmentKey, "Path", new RegistryValue(UserPath, RegistryKind.ExpandString));
        box.SelfExecutable = box.File("editorbridge-setup.exe");
        System.IO.File.WriteAllText(box.SelfExecutable, "stand-in single-file setup");
        return box;
    }

    [Fact]
    public void Windows_install_places_the_program_both_Kritas_and_the_PaintDotNet_plugin()
    {
        using var box = WindowsPainter();

        var run = box.Install(box.Package(paintDotNet: true), o => o with { Autostart = true });

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var app = box.InHome("AppData/Local/Programs/EditorBridge");
        Assert.True(File.Exists(Path.Combine(app, "editorbridge.exe")));
        Assert.True(File.Exists(Path.Combine(app, "editorbridge-setup.exe")));
        Assert.True(File.Exists(box.InHome("AppData/Roaming/krita/pykrita/editorbridge/__init__.py")));
        Assert.Equal("[General]\r\nfoo=bar\r\n\r\n[python]\r\nenable_editorbridge=true\r\n", File.ReadAllText(box.InHome("AppData/Local/kritarc")));
        var store = box.InHome("AppData/Local/Packages/49800KritaProject.Krita_7yn9vz8r3yc9p/LocalCache");
        Assert.True(File.Exists(Path.Combine(store, "Roaming/krita/pykrita/editorbridge.desktop")));
        Assert.Equal("[python]\nenable_editorbridge=true\n", File.ReadAllText(Path.Combine(store, "Local/kritarc")));
        var effects = box.InHome("Documents/paint.net App Files/Effects/EditorBridge");
        Assert.Equal("stand-in effect 1.0.0", File.ReadAllText(Path.Combine(effects, "EditorBridge.PaintDotNet.dll")));
        Assert.True(File.Exists(Path.Combine(effects, "EditorBridge.PaintDotNet.deps.json")));

        Assert.Equal($"\"{Path.Combine(app, "editorbridge.exe")}\" serve --background", box.Registry.Get(AutostartEntries.RunKey, AutostartEntries.RunValueName)!.Data);
        Assert.Equal($"\"{Path.Combine(app, "editorbridge-setup.exe")}\" --uninstall", box.Registry.Get(InstallPlanner.UninstallKey, "UninstallString")!.Data);
        Assert.Equal(new RegistryValue("1", RegistryKind.DWord), box.Registry.Get(InstallPlanner.UninstallKey, "NoModify"));
        Assert.Equal(new RegistryValue(UserPath + ";" + app, RegistryKind.ExpandString), box.Registry.Get(InstallPlanner.EnvironmentKey, "Path"));
        Assert.Equal(1, box.Registry.Broadcasts);
        Assert.Contains("classic edition", run.Output);
        Assert.Contains("Start Paint.NET: EditorBridge is under Effects > EditorBridge.", run.Output);
    }

    [Fact]
    public void Windows_install_twice_changes_nothing_and_uninstall_restores_files_and_registry()
    {
        using var box = WindowsPainter();
        var before = box.Snapshot();
        var registry = box.Registry.Dump();
        var package = box.Package(paintDotNet: true);
        box.Install(package, o => o with { Autostart = true });
        var installed = box.Snapshot(withTimes: true);
        var installedRegistry = box.Registry.Dump();

        var again = box.Install(package);

        Assert.Contains("Nothing to change", again.Output);
        SnapshotAssert.Same(installed, box.Snapshot(withTimes: true));
        Assert.Equal(installedRegistry, box.Registry.Dump());

        var uninstall = box.Uninstall();

        Assert.True(uninstall.Code == ExitCodes.Ok, uninstall.ToString());
        Assert.Contains("taken off your PATH", uninstall.Output);
        SnapshotAssert.Same(before, box.Snapshot());
        Assert.Equal(registry, box.Registry.Dump());
    }

    [Fact]
    public void Windows_PATH_that_already_has_the_folder_is_left_as_it_is()
    {
        using var box = WindowsPainter();
        var path = UserPath + ";" + box.InHome("AppData/Local/Programs/EditorBridge") + @"\";
        box.Registry.Set(InstallPlanner.EnvironmentKey, "Path", new RegistryValue(path, RegistryKind.ExpandString));

        var run = box.Install(box.Package(paintDotNet: true));
        box.Uninstall();

        Assert.Contains("already on your PATH", run.Output);
        Assert.Equal(path, box.Registry.Get(InstallPlanner.EnvironmentKey, "Path")!.Data);
    }

    [Fact]
    public void Windows_Store_PaintDotNet_alone_gets_the_plugin_in_Documents()
    {
        using var box = new Sandbox(HostPlatform.Windows);
        Directory.CreateDirectory(box.InHome("AppData/Local/Packages/dotPDN.PaintDotNet_h55e3w7q8jbva"));

        var run = box.Install(box.Package(krita: false, paintDotNet: true));

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("Microsoft Store edition", run.Output);
        Assert.True(File.Exists(box.InHome("Documents/paint.net App Files/Effects/EditorBridge/EditorBridge.PaintDotNet.dll")));
    }

    [Fact]
    public void Windows_PaintDotNet_running_gets_a_warning_and_a_package_without_its_plugin_says_so()
    {
        using var box = WindowsPainter();
        box.Processes.ByName["paintdotnet"] = [777];

        var withPlugin = box.Install(box.Package(paintDotNet: true));
        var withoutPlugin = box.Install(box.Package(paintDotNet: false), o => o with { DryRun = true });

        Assert.Contains("Paint.NET is running (process 777): close it before installing", withPlugin.Output);
        Assert.Contains("Paint.NET is installed, but this package has no Paint.NET plugin", withoutPlugin.Output);
    }

    [Fact]
    public void Windows_without_PaintDotNet_says_it_was_not_found()
    {
        using var box = new Sandbox(HostPlatform.Windows);

        var run = box.Install(box.Package(paintDotNet: true));

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("Paint.NET was not found", run.Output);
        Assert.False(Directory.Exists(box.InHome("Documents")));
    }

    [Fact]
    public void MacOS_install_with_autostart_writes_a_launchd_agent_and_uninstall_takes_it_off()
    {
        using var box = new Sandbox(HostPlatform.MacOS);
        Directory.CreateDirectory(Path.Combine(box.SystemRoot, "Applications", "krita.app"));
        var before = box.Snapshot();

        var run = box.Install(box.Package(), o => o with { Autostart = true });

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var app = box.InHome("Library/Application Support/EditorBridge/app");
        Assert.True(File.Exists(box.InHome("Library/Application Support/krita/pykrita/editorbridge/__init__.py")));
        Assert.Equal("[python]\nenable_editorbridge=true\n", File.ReadAllText(box.InHome("Library/Preferences/kritarc")));
        var agent = File.ReadAllText(box.InHome("Library/LaunchAgents/org.editorbridge.daemon.plist"));
        Assert.Contains($"<string>{Path.Combine(app, "editorbridge")}</string>", agent);
        Assert.Contains("<key>RunAtLoad</key><true/>", agent);
        Assert.Equal(Path.Combine(app, "editorbridge"), new FileInfo(box.InHome(".local/bin/editorbridge")).LinkTarget);

        Assert.Equal(ExitCodes.Ok, box.Uninstall().Code);
        SnapshotAssert.Same(before, box.Snapshot());
    }

    [Fact]
    public void Systemd_and_launchd_entries_quote_paths_with_spaces_and_special_characters()
    {
        var unit = System.Text.Encoding.UTF8.GetString(AutostartEntries.SystemdUnit("/home/ana maría/100% \"art\"/editorbridge"));
        var agent = System.Text.Encoding.UTF8.GetString(AutostartEntries.LaunchAgent("/Users/ana/<Art & Co>/editorbridge"));

        Assert.Contains("ExecStart=\"/home/ana maría/100%% \\\"art\\\"/editorbridge\" serve\n", unit);
        Assert.Contains("<string>/Users/ana/&lt;Art &amp; Co&gt;/editorbridge</string>", agent);
    }
}
