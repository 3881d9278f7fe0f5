using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// Bad conditions while installing: a full disk, a refused permission, an install killed
/// half-way. Each gets a clear message, and nothing the user had is lost: a failed run puts
/// everything back, a killed run is finished (or cleanly removed) by the next.
/// </summary>
public sealed class FailureTests : IDisposable
{
    private const string UserKritarc = "[General]\nfoo=bar\n";
    private readonly Sandbox box = new();

    public FailureTests() => box.WriteHome(".config/kritarc", UserKritarc);

    public void Dispose() => box.Dispose();

    /// <summary>Fails the <paramref name="nth"/> file write with <paramref name="failure"/>.</summary>
    private static Action<string> FailAt(int nth, Func<Exception> failure)
    {
        int count = 0;
        return path =>
        {
            if (path.EndsWith(".editorbridge-probe-" + Environment.ProcessId, StringComparison.Ordinal))
                return;
            if (++count == nth)
                throw failure();
        };
    }

    private static IOException DiskFull() => new("No space left on device", 28);

    [Fact]
    public void A_disk_that_fills_up_at_any_write_of_an_upgrade_leaves_the_previous_install_as_it_was()
    {
        // Every write of the upgrade in turn fails, until the upgrade needs fewer writes than that.
        for (int failing = 1; ; failing++)
        {
            using var machine = new Sandbox();
            machine.WriteHome(".config/kritarc", UserKritarc);
            machine.WriteHome(".local/state/editorbridge/settings.json", "{}");
            machine.Install(machine.Package("1.0.0"));
            var before = machine.Snapshot(withTimes: true);
            var content = machine.Snapshot();
            var v2 = machine.Package("2.0.0", edit: root => Sandbox.Write(root, "app/engines/onnx/new.dll", "new"));
            machine.BeforeWrite = FailAt(failing, DiskFull);

            var run = machine.Install(v2);

            if (run.Code == ExitCodes.Ok)
            {
                Assert.True(failing > 8, $"the upgrade needed only {failing - 1} writes");
                return;
            }

            Assert.True(run.Code == ExitCodes.Failed, run.ToString());
            Assert.Contains("editorbridge-setup: error: the disk is full (writing ", run.Output);
            Assert.Contains("Free some space and run editorbridge-setup again", run.Output);
            Assert.Contains("Everything this run changed was put back as it was", run.Output);
            AssertRestored(machine, before, content);
        }
    }

    [Fact]
    public void A_permission_refused_at_any_write_of_a_first_install_leaves_the_home_as_it_was()
    {
        for (int failing = 1; ; failing++)
        {
            using var machine = new Sandbox();
            machine.WriteHome(".config/kritarc", UserKritarc);
            var package = machine.Package();
            var before = machine.Snapshot(withTimes: true);
            var content = machine.Snapshot();
            machine.BeforeWrite = FailAt(failing, () => new UnauthorizedAccessException("Access to the path is denied."));

            var run = machine.Install(package);

            if (run.Code == ExitCodes.Ok)
            {
                Assert.True(failing > 10, $"the install needed only {failing - 1} writes");
                return;
            }

            Assert.True(run.Code == ExitCodes.Failed, run.ToString());
            Assert.Contains("editorbridge-setup: error: permission denied writing ", run.Output);
            Assert.Contains("needs no administrator rights", run.Output);
            AssertRestored(machine, before, content);
        }
    }

    [Fact]
    public void Too_little_free_space_is_said_before_anything_changes()
    {
        var before = box.Snapshot(withTimes: true);
        box.FreeBytes = _ => 20_000;

        var run = box.Install(box.Package());

        Assert.True(run.Code == ExitCodes.Failed, run.ToString());
        Assert.Contains("not enough free space for ", run.Output);
        Assert.Contains("is free. Free some space and run editorbridge-setup again. Nothing was changed.", run.Output);
        SnapshotAssert.Same(before, box.Snapshot(withTimes: true));
    }

    [Fact]
    public void Leftovers_of_a_run_killed_between_two_renames_are_tidied_by_the_next()
    {
        var package = box.Package();
        box.Install(package);
        var dll = Path.Combine(box.Layout.AppDirectory, "editorbridge.dll");
        var manifest = InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "m");
        File.WriteAllBytes(box.Layout.ManifestPath, (manifest with { Complete = false }).ToBytes());
        File.Move(dll, dll + FileOps.OldSuffix);                                 // killed after moving the old file away
        File.WriteAllText(Path.Combine(box.Layout.AppDirectory, "editorbridge" + FileOps.NewSuffix), "half a fi"); // and in the middle of a copy

        var run = box.Install(package);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("The last install did not finish (it was interrupted): this run completes it.", run.Output);
        Assert.Equal("stand-in program 1.0.0", File.ReadAllText(dll));
        Assert.Empty(Directory.EnumerateFiles(box.Home, "*.editorbridge-*", SearchOption.AllDirectories));
        Assert.True(InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "m").Complete);
    }

    [Fact]
    public async Task An_upgrade_killed_at_any_point_is_finished_by_the_next_run()
    {
        // The setup (a separate process) is killed before its 1st, 3rd, 5th, … change, until it finishes first.
        for (int writes = 0; ; writes += 2)
        {
            using var machine = new Sandbox();
            machine.WriteHome(".config/kritarc", UserKritarc);
            machine.WriteHome(".local/state/editorbridge/settings.json", """{"GrpcPort": 0}""");
            machine.Install(machine.Package("1.0.0"));
            var v2 = machine.Package("2.0.0", edit: root => Sandbox.Write(root, "krita/editorbridge/model.py", "new module\n"));

            if (await SetupProcess.RunAndKillAsync(machine.Home, writes, "--payload", v2) is null)
            {
                Assert.True(writes > 6, $"the upgrade needed only {writes} changes");
                return;
            }

            var again = await SetupProcess.RunAsync(machine.Home, null, "--payload", v2);
            Assert.True(again.Succeeded, again.ToString());
            if (writes > 0)
                Assert.Contains("did not finish", again.Output);
            var manifest = InstallManifest.Parse(File.ReadAllBytes(machine.Layout.ManifestPath), "m");
            Assert.True(manifest.Complete);
            Assert.Equal("2.0.0", manifest.Version);
            foreach (var f in manifest.Files)
                Assert.Equal(f.Sha256, FileOps.Sha256Of(f.Path));
            Assert.Empty(Directory.EnumerateFiles(machine.Home, "*.editorbridge-*", SearchOption.AllDirectories));
            Assert.Equal("""{"GrpcPort": 0}""", File.ReadAllText(machine.InHome(".local/state/editorbridge/settings.json")));
            Assert.Equal(UserKritarc + "\n[python]\nenable_editorbridge=true\n", File.ReadAllText(machine.InHome(".config/kritarc")));
        }
    }

    // The first changes create the program folder (4 folders in this home) and the journal in it:
    // a kill before the journal is written leaves those empty folders behind, nothing else.
    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public async Task A_first_install_killed_half_way_can_be_uninstalled_cleanly(int writes)
    {
        var before = box.Snapshot();

        Assert.NotNull(await SetupProcess.RunAndKillAsync(box.Home, writes, "--payload", box.Package()));
        var run = await SetupProcess.RunAsync(box.Home, null, "--uninstall");

        Assert.True(run.Succeeded, run.ToString());
        SnapshotAssert.Same(before, box.Snapshot(), run.Output);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_user_without_write_permission_gets_a_clear_message_and_nothing_changes()
    {
        // Root ignores file permissions: when the tests run as root the setup runs as 'nobody'.
        Directory.CreateDirectory(box.InHome(".local/share"));
        var package = box.Package();
        var start = SetupProcess.StartInfo(box.Home, null, asNobody: true, "--payload", package);
        if (Environment.IsPrivilegedProcess)
            SetupProcess.GiveToNobody(box.Root);
        File.SetUnixFileMode(box.InHome(".local/share"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var before = box.Snapshot(withTimes: true);

        var run = await SetupProcess.RunAsync(start);

        Assert.True(run.Code == ExitCodes.Failed, run.ToString());
        Assert.Contains($"editorbridge-setup: error: permission denied writing {box.InHome(".local/share")}", run.Output);
        Assert.Contains("Nothing was changed.", run.Output);
        SnapshotAssert.Same(before, box.Snapshot(withTimes: true));
        File.SetUnixFileMode(box.InHome(".local/share"), (UnixFileMode)0b111_101_101);
    }

    /// <summary>
    /// Every byte as before; every file untouched (same modification time) except the small
    /// files a rollback writes back whole (kritarc, the manifest).
    /// </summary>
    private static void AssertRestored(Sandbox machine, IDictionary<string, string> beforeWithTimes, IDictionary<string, string> beforeContent)
    {
        SnapshotAssert.Same(beforeContent, machine.Snapshot(), "content");
        string[] rewritten = ["home/.config/kritarc", Path.GetRelativePath(machine.Root, machine.Layout.ManifestPath)];
        SnapshotAssert.Same(
            beforeWithTimes.Where(kv => !rewritten.Contains(kv.Key)).ToDictionary(),
            machine.Snapshot(withTimes: true).Where(kv => !rewritten.Contains(kv.Key)).ToDictionary(),
            "modification times");
    }
}
