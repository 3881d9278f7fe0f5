using System.Reflection;
using EditorBridge.Client;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// The real editorbridge-setup (a separate process, clean environment) installing the real
/// program: the CLI's own build output with the classic engine and its OpenCV native library,
/// plus the stand-in Krita plugin. The daemon then starts from the installed folder, through the
/// command link, and answers GetInfo with the engine loaded from there.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly Sandbox box = new();

    public void Dispose() => box.Dispose();

    private static string CliOutput =>
        typeof(EndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliOutputDirectory").Value!;

    /// <summary>A package whose program is the CLI's build output (linked, not copied: 116 MB).</summary>
    private string RealPackage()
    {
        var package = box.Package(edit: root =>
        {
            Directory.Delete(Path.Combine(root, "app"), recursive: true);
            Directory.CreateSymbolicLink(Path.Combine(root, "app"), CliOutput);
        });
        Assert.True(File.Exists(Path.Combine(package, "app", "editorbridge")), $"build the CLI first: {CliOutput}");
        return package;
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Install_start_the_daemon_from_the_installed_folder_install_again_and_uninstall()
    {
        const string kritarc = "[General]\nrecentFiles=/home/ana/cat.kra\n";
        box.WriteHome(".config/kritarc", kritarc);
        box.WriteHome(".local/share/krita/pykrita/other.desktop", "a plugin of the user's");
        var before = box.Snapshot();
        var package = RealPackage();
        var layout = box.Layout;

        var install = await SetupProcess.RunAsync(box.Home, null, "--payload", package);

        Assert.True(install.Succeeded, install.ToString());
        var manifest = InstallManifest.Parse(File.ReadAllBytes(layout.ManifestPath), "m");
        Assert.Equal(Directory.EnumerateFiles(CliOutput, "*", SearchOption.AllDirectories).Count() + 4, manifest.Files.Count); // + the Krita plugin's 4
        foreach (var f in manifest.Files.Where(f => f.Path.EndsWith(".so", StringComparison.Ordinal) || f.Path.EndsWith("editorbridge", StringComparison.Ordinal)))
            Assert.Equal(f.Sha256, FileOps.Sha256Of(f.Path));
        Assert.Equal(kritarc + "\n[python]\nenable_editorbridge=true\n", File.ReadAllText(box.InHome(".config/kritarc")));

        // The daemon starts from the installed command link, as a client's auto-start does.
        int pid = 0;
        try
        {
            var connect = new ConnectOptions { StateDirectory = layout.StateDirectory, DaemonCommand = layout.CommandLink, StartTimeout = TimeSpan.FromSeconds(60) };
            using (var connection = await DaemonConnection.ConnectAsync(connect))
            {
                var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(30));
                pid = info.Pid;
                var classic = Assert.Single(info.Engines, e => e.Name == "classic");
                Assert.StartsWith(Path.Combine(layout.AppDirectory, "engines", "classic"), classic.Location);
                Assert.Empty(info.PluginProblems);
                Assert.StartsWith(layout.AppDirectory + "/", new FileInfo($"/proc/{pid}/exe").LinkTarget);
            }

            var installedTree = box.Snapshot(withTimes: true).Where(kv => !kv.Key.Contains(".local/state", StringComparison.Ordinal)).ToDictionary();
            var again = await SetupProcess.RunAsync(box.Home, null, "--payload", package);
            Assert.True(again.Succeeded, again.ToString());
            Assert.Contains("Nothing to change", again.Output);
            SnapshotAssert.Same(installedTree, box.Snapshot(withTimes: true).Where(kv => !kv.Key.Contains(".local/state", StringComparison.Ordinal)).ToDictionary());
            Assert.True(IsRunning(pid), "the second run left the running daemon alone");

            var uninstall = await SetupProcess.RunAsync(box.Home, null, "--uninstall");

            Assert.True(uninstall.Succeeded, uninstall.ToString());
            Assert.Contains($"stopping the running daemon (process {pid})", uninstall.Output);
            Assert.False(IsRunning(pid));
            // What remains besides the user's own files is the daemon's state (token, log): user settings, kept.
            var left = box.Snapshot();
            SnapshotAssert.Same(before, left.Where(kv => !kv.Key.StartsWith("home/.local/state", StringComparison.Ordinal)).ToDictionary());
            Assert.Contains("home/.local/state/editorbridge/token", left.Keys);

            var purge = await SetupProcess.RunAsync(box.Home, null, "--uninstall", "--purge");
            Assert.True(purge.Succeeded, purge.ToString());
            Assert.DoesNotContain("home/.local/state/editorbridge", box.Snapshot().Keys);
        }
        finally
        {
            // a failed check must not leave the daemon running
            if (pid == 0)
                pid = LocalState.DiscoveryInfo.TryRead(Path.Combine(layout.StateDirectory, "daemon.json"))?.Pid ?? 0;
            if (pid != 0 && IsRunning(pid))
            {
                using var daemon = System.Diagnostics.Process.GetProcessById(pid);
                daemon.Kill();
            }
        }
    }

    [Fact]
    public async Task Bad_command_lines_get_a_usage_error()
    {
        foreach (var args in new[] { new[] { "--purge" }, ["--uninstall", "--autostart"], ["--autostart", "--no-autostart"], ["--frobnicate"] })
        {
            var run = await SetupProcess.RunAsync(box.Home, null, args);

            Assert.True(run.Code == ExitCodes.Usage, string.Join(' ', args) + "\n" + run);
            Assert.StartsWith("editorbridge-setup: error: ", run.Output);
        }
    }

    [Fact]
    public async Task Help_lists_the_options()
    {
        var run = await SetupProcess.RunAsync(box.Home, null, "--help");

        Assert.Equal(0, run.Code);
        foreach (var option in new[] { "--uninstall", "--purge", "--dry-run", "--autostart", "--no-krita", "--no-paintdotnet", "--payload" })
            Assert.Contains(option, run.Output);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
