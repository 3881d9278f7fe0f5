using System.Text;
using System.Text.Json;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Tests;

/// <summary>Install, reinstall, upgrade and uninstall for a Linux user with Krita, in a temporary home.</summary>
public sealed partial class InstallTests : IDisposable
{
    private const string UserKritarc = "[General]\nrecentFiles=/home/ana/cat.kra\n\n[python]\nenable_scripter=true\n\n[MainWindow]\nState=AAAA/w==\n";
    private readonly Sandbox box = new();

    public InstallTests() => box.WriteHome(".config/kritarc", UserKritarc);

    public void Dispose() => box.Dispose();

    private string AppDir => box.Layout.AppDirectory;

    private string PyKrita => box.InHome(".local/share/krita/pykrita");

    [Fact]
    public void Install_puts_every_file_in_place_enables_the_plugin_and_keeps_a_manifest_with_hashes()
    {
        var package = box.Package();

        var run = box.Install(package);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        foreach (var (source, dest) in new[]
                 {
                     ("app/editorbridge", Path.Combine(AppDir, "editorbridge")),
                     ("app/editorbridge.dll", Path.Combine(AppDir, "editorbridge.dll")),
                     ("app/engines/classic/runtimes/linux-x64/native/libOpenCvSharpExtern.so", Path.Combine(AppDir, "engines/classic/runtimes/linux-x64/native/libOpenCvSharpExtern.so")),
                     ("krita/editorbridge.desktop", Path.Combine(PyKrita, "editorbridge.desktop")),
                     ("krita/editorbridge/client.py", Path.Combine(PyKrita, "editorbridge/client.py")),
                     ("krita/editorbridge/ui/__init__.py", Path.Combine(PyKrita, "editorbridge/ui/__init__.py")),
                 })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(package, source)), File.ReadAllBytes(dest));
        }

        Assert.False(Directory.Exists(Path.Combine(PyKrita, "editorbridge/__pycache__")), "Python caches of the package are not installed");
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(Path.Combine(AppDir, "editorbridge")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(Path.Combine(AppDir, "editorbridge"), new FileInfo(box.InHome(".local/bin/editorbridge")).LinkTarget);
        Assert.Equal(UserKritarc.Replace("enable_scripter=true\n", "enable_scripter=true\nenable_editorbridge=true\n"), File.ReadAllText(box.InHome(".config/kritarc")));

        var manifest = InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "manifest");
        Assert.True(manifest.Complete);
        Assert.Equal("1.0.0", manifest.Version);
        Assert.Equal(8, manifest.Files.Count);
        foreach (var f in manifest.Files)
            Assert.Equal(FileOps.Sha256Of(f.Path), f.Sha256);
        var edit = Assert.Single(manifest.Kritarc);
        Assert.Null(edit.Edit.Previous);
        Assert.Contains(box.InHome(".local/share/editorbridge"), manifest.Directories);
        Assert.Contains(PyKrita, manifest.Directories);
        Assert.DoesNotContain(box.InHome(".config"), manifest.Directories);
    }

    [Fact]
    public void The_summary_says_what_went_where_and_what_to_do_next()
    {
        var run = box.Install(box.Package());

        Assert.Contains($"program              {AppDir}", run.Output);
        Assert.Contains($"Krita plugin (Krita) {PyKrita}", run.Output);
        Assert.Contains("found by its kritarc", run.Output);
        Assert.Contains("Paint.NET runs on Windows only", run.Output);
        Assert.Contains("start at login       off", run.Output);
        Assert.Contains("[1/4] program: 4 of 4 files written", run.Output);
        Assert.Contains("Done: EditorBridge 1.0.0 is installed.", run.Output);
        Assert.Contains("Start Krita: EditorBridge is under", run.Output);
        Assert.Contains(".local/bin is not on your PATH yet", run.Output);
    }

    [Fact]
    public void A_machine_without_gtk3_is_told_how_to_install_it()
    {
        // before: the install said "Done" and the classic engine then failed to load (libgtk-3.so.0)
        var asked = new List<string>();
        box.HasLibrary = name =>
        {
            asked.Add(name);
            return name != "libgtk-3.so.0";
        };

        var run = box.Install(box.Package());

        Assert.Equal(ExitCodes.DoneWithWarnings, run.Code);
        Assert.Contains("libgtk-3.so.0", asked);
        Assert.Contains("GTK 3 is not installed", run.Output);
        Assert.Contains("sudo apt-get install libgtk-3-0", run.Output);
        Assert.True(File.Exists(Path.Combine(AppDir, "editorbridge")), "the install itself goes on");
    }

    [Fact]
    public void The_real_library_check_finds_what_the_loader_finds()
    {
        if (!OperatingSystem.IsLinux())
            return;
        Assert.True(EditorBridge.Installer.Host.SharedLibraries.Present("libc.so.6"));
        Assert.False(EditorBridge.Installer.Host.SharedLibraries.Present("libeditorbridge-no-such-library.so.9"));
    }

    [Fact]
    public void Installing_again_changes_nothing()
    {
        var package = box.Package();
        box.Install(package);
        var before = box.Snapshot(withTimes: true);

        var again = box.Install(package);

        Assert.True(again.Code == ExitCodes.Ok, again.ToString());
        Assert.Contains("Nothing to change: EditorBridge 1.0.0 is installed as it should be.", again.Output);
        SnapshotAssert.Same(before, box.Snapshot(withTimes: true), "the second run touched files");
    }

    [Fact]
    public void A_dry_run_changes_nothing_and_says_what_it_would_do()
    {
        var before = box.Snapshot(withTimes: true);

        var run = box.Install(box.Package(), o => o with { DryRun = true });

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("Would install:", run.Output);
        Assert.Contains(AppDir, run.Output);
        Assert.Contains("enable_editorbridge=true", run.Output);
        Assert.Contains("Dry run: nothing was changed", run.Output);
        SnapshotAssert.Same(before, box.Snapshot(withTimes: true), "the dry run touched files");
    }

    [Fact]
    public void Uninstall_leaves_nothing_but_what_the_user_owns()
    {
        box.WriteHome(".local/share/krita/pykrita/other_plugin.desktop", "a plugin of the user's");
        box.WriteHome(".local/state/editorbridge/settings.json", """{"Limits": {"MaxSide": 4096}}""");
        var before = box.Snapshot();
        box.Install(box.Package());

        var run = box.Uninstall();

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("files                8 removed", run.Output);
        Assert.Contains("Done: EditorBridge was removed.", run.Output);
        Assert.Contains("enable_editorbridge taken out of [python]", run.Output);
        Assert.Contains("Your settings and models stay in", run.Output);
        SnapshotAssert.Same(before, box.Snapshot(), "uninstall did not restore the home");
    }

    [Fact]
    public void Uninstall_removes_the_python_caches_Krita_wrote_beside_the_plugin()
    {
        var before = box.Snapshot();
        box.Install(box.Package());
        box.WriteHome(".local/share/krita/pykrita/editorbridge/__pycache__/__init__.cpython-311.pyc", "compiled");
        box.WriteHome(".local/share/krita/pykrita/editorbridge/ui/__pycache__/__init__.cpython-311.pyc", "compiled");

        var run = box.Uninstall();

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        SnapshotAssert.Same(before, box.Snapshot());
    }

    [Fact]
    public void A_file_changed_after_installing_is_kept_with_a_warning()
    {
        box.Install(box.Package());
        var changed = Path.Combine(PyKrita, "editorbridge", "client.py");
        File.AppendAllText(changed, "# my local fix\n");

        var run = box.Uninstall();

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains($"{changed} was changed after it was installed: it was kept", run.Output);
        Assert.True(File.Exists(changed));
        Assert.EndsWith("# my local fix\n", File.ReadAllText(changed));
        Assert.False(File.Exists(Path.Combine(PyKrita, "editorbridge", "__init__.py")));
        Assert.False(Directory.Exists(AppDir));
        Assert.Equal(UserKritarc, File.ReadAllText(box.InHome(".config/kritarc")));
    }

    [Fact]
    public void Upgrading_replaces_changed_files_removes_dropped_ones_and_keeps_settings()
    {
        var settings = box.WriteHome(".local/state/editorbridge/settings.json", """{"Limits": {"MaxSide": 4096}}""");
        var token = box.WriteHome(".local/state/editorbridge/token", new string('a', 64));
        box.Install(box.Package("1.0.0"));
        var v2 = box.Package("2.0.0", edit: root =>
        {
            File.Delete(Path.Combine(root, "app/engines/classic/runtimes/linux-x64/native/libOpenCvSharpExtern.so"));
            Sandbox.Write(root, "app/engines/onnx/EditorBridge.Engines.Onnx.dll", "new engine");
        });

        var run = box.Install(v2);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Equal("stand-in program 2.0.0", File.ReadAllText(Path.Combine(AppDir, "editorbridge.dll")));
        Assert.Equal("VERSION = '2.0.0'\n", File.ReadAllText(Path.Combine(PyKrita, "editorbridge/client.py")));
        Assert.True(File.Exists(Path.Combine(AppDir, "engines/onnx/EditorBridge.Engines.Onnx.dll")));
        Assert.False(Directory.Exists(Path.Combine(AppDir, "engines/classic/runtimes")), "the dropped file and its now empty folders go");
        Assert.Equal("""{"Limits": {"MaxSide": 4096}}""", File.ReadAllText(settings));
        Assert.Equal(new string('a', 64), File.ReadAllText(token));
        Assert.Empty(Directory.EnumerateFiles(box.Home, "*.editorbridge-*", SearchOption.AllDirectories));
        var manifest = InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "manifest");
        Assert.Equal("2.0.0", manifest.Version);
        Assert.Null(Assert.Single(manifest.Kritarc).Edit.Previous);

        var uninstall = box.Uninstall();
        Assert.True(uninstall.Code == ExitCodes.Ok, uninstall.ToString());
        Assert.Equal(UserKritarc, File.ReadAllText(box.InHome(".config/kritarc")));
    }

    [Fact]
    public void Upgrading_stops_the_daemon_running_from_the_program_folder_first()
    {
        box.Install(box.Package("1.0.0"));
        box.Processes.Daemons.Add(4242);

        var run = box.Install(box.Package("2.0.0"));

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Equal([4242], box.Processes.Stopped);
        Assert.Contains("stopping the running daemon (process 4242)", run.Output);
    }

    [Fact]
    public void A_file_of_someone_elses_in_the_way_is_kept_as_a_backup()
    {
        var theirs = box.WriteHome(".local/share/krita/pykrita/editorbridge/client.py", "# a hand-installed development copy\n");

        var run = box.Install(box.Package());

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains("was not installed by EditorBridge (or was changed since): it is kept as client.py.editorbridge-backup", run.Output);
        Assert.Equal("# a hand-installed development copy\n", File.ReadAllText(theirs + ".editorbridge-backup"));
        Assert.Equal("VERSION = '1.0.0'\n", File.ReadAllText(theirs));

        box.Uninstall();
        Assert.Equal("# a hand-installed development copy\n", File.ReadAllText(theirs + ".editorbridge-backup"));
    }

    [Fact]
    public void A_command_of_someone_elses_on_the_bin_path_is_left_alone()
    {
        var theirs = box.WriteHome(".local/bin/editorbridge", "#!/bin/sh\necho mine\n");

        var run = box.Install(box.Package());

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains("already exists and is not EditorBridge's: it was left as it is", run.Output);
        Assert.Equal("#!/bin/sh\necho mine\n", File.ReadAllText(theirs));
        box.Uninstall();
        Assert.Equal("#!/bin/sh\necho mine\n", File.ReadAllText(theirs));
    }

    [Fact]
    public void Purge_deletes_settings_token_log_models_and_onnx_runtimes_telemetry_cache_and_nothing_else()
    {
        box.WriteHome(".cache/Microsoft/DeveloperTools/deviceid", "the .NET SDK's");
        var before = box.Snapshot();
        box.WriteHome(".local/state/editorbridge/notes.txt", "mine");
        var beforeWithNotes = box.Snapshot();
        box.Install(box.Package());
        foreach (var name in new[] { "token", "daemon.json", "daemon.log", "settings.json" })
            box.WriteHome($".local/state/editorbridge/{name}", name);
        box.WriteHome(".local/share/editorbridge/models/lama/model.onnx", "weights");
        // what ONNX Runtime wrote before its telemetry was turned off (the .NET SDK's id beside it stays)
        box.WriteHome(".cache/Microsoft/DeveloperTools/.onnxruntime/deviceid", "id");
        box.WriteHome(".cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db", "queue");

        var run = box.Uninstall(purge: true);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains($"kept                 {box.InHome(".local/state/editorbridge")} (it holds files that are not EditorBridge's)", run.Output);
        SnapshotAssert.Same(beforeWithNotes, box.Snapshot());
        File.Delete(box.InHome(".local/state/editorbridge/notes.txt"));
        Assert.Equal(ExitCodes.Ok, box.Uninstall(purge: true).Code);
        Assert.False(Directory.Exists(box.InHome(".local/state/editorbridge")));
        var expected = beforeWithNotes.Where(kv => !kv.Key.StartsWith("home/.local/state/editorbridge", StringComparison.Ordinal)).ToDictionary();
        SnapshotAssert.Same(expected, box.Snapshot());
        Assert.DoesNotContain(before.Keys, k => k.Contains(".local", StringComparison.Ordinal));
    }

    [Fact]
    public void Uninstall_with_nothing_installed_says_so()
    {
        var run = box.Uninstall();

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("EditorBridge is not installed for this user", run.Output);
    }

    [Fact]
    public void A_damaged_manifest_stops_uninstall_from_guessing()
    {
        box.Install(box.Package());
        File.WriteAllText(box.Layout.ManifestPath, "{ not json");

        var run = box.Uninstall();

        Assert.True(run.Code == ExitCodes.Failed, run.ToString());
        Assert.Contains("is damaged", run.Output);
        Assert.Contains("removes nothing", run.Output);
        Assert.True(File.Exists(Path.Combine(AppDir, "editorbridge.dll")));
    }

    [Fact]
    public void A_damaged_manifest_is_repaired_by_installing_again()
    {
        var package = box.Package();
        box.Install(package);
        File.WriteAllText(box.Layout.ManifestPath, "{ not json");

        var run = box.Install(package);

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains("installing afresh", run.Output);
        var manifest = InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "m");
        Assert.Equal(8, manifest.Files.Count);
        var uninstall = box.Uninstall();
        Assert.True(uninstall.Code == ExitCodes.Ok, uninstall.ToString());
        Assert.False(Directory.Exists(AppDir), uninstall.ToString());
        // What kritarc had before the first install was in the damaged manifest: the key stays as found.
        Assert.Equal("true", Editors.Kritarc.Get(File.ReadAllBytes(box.InHome(".config/kritarc")), "python", "enable_editorbridge"));
    }

    [Theory]
    [InlineData("no program", "has no editorbridge program")]
    [InlineData("malformed Krita plugin", "names no module (a line 'X-KDE-Library=NAME' is needed)")]
    [InlineData("Krita plugin without its module", "has no package folder 'editorbridge/__init__.py' nor module 'editorbridge.py'")]
    [InlineData("other platform", "this package is for win-x64, but this machine needs linux-x64")]
    [InlineData("damaged description", "is damaged")]
    [InlineData("missing", "no package to install at")]
    public void A_bad_package_is_refused_before_anything_changes(string problem, string message)
    {
        var package = box.Package(runtime: problem == "other platform" ? "win-x64" : null, edit: root =>
        {
            switch (problem)
            {
                case "no program":
                    File.Delete(Path.Combine(root, "app/editorbridge"));
                    File.Delete(Path.Combine(root, "app/editorbridge.dll"));
                    break;
                case "malformed Krita plugin":
                    Sandbox.Write(root, "krita/editorbridge.desktop", "[Desktop Entry]\nName=EditorBridge\n");
                    break;
                case "Krita plugin without its module":
                    Directory.Delete(Path.Combine(root, "krita/editorbridge"), recursive: true);
                    break;
                case "damaged description":
                    Sandbox.Write(root, "payload.json", "{");
                    break;
            }
        });
        var before = box.Snapshot(withTimes: true);

        var run = box.Install(problem == "missing" ? box.File("nowhere") : package, o => o with { RequiredRuntime = "linux-x64" });

        Assert.True(run.Code == ExitCodes.Failed, run.ToString());
        Assert.Contains(message, run.Output);
        Assert.StartsWith("editorbridge-setup: error: ", run.Output);
        SnapshotAssert.Same(before, box.Snapshot(withTimes: true));
    }

    [Fact]
    public void The_manifest_is_plain_json_a_person_can_read()
    {
        box.Install(box.Package());

        using var json = JsonDocument.Parse(File.ReadAllBytes(box.Layout.ManifestPath));

        var file = json.RootElement.GetProperty("files")[0];
        Assert.Equal(64, file.GetProperty("sha256").GetString()!.Length);
        Assert.Equal("enable_editorbridge", json.RootElement.GetProperty("kritarc")[0].GetProperty("edit").GetProperty("key").GetString());
        Assert.Contains("\n  ", Encoding.UTF8.GetString(File.ReadAllBytes(box.Layout.ManifestPath)));
    }
}
