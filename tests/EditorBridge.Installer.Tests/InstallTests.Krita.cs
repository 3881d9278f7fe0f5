using System.Text;
using System.Text.Json;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Tests;

/// <summary>Install and uninstall around Krita: found or not, native or Flatpak, running, with a kritarc the user owns.</summary>
public sealed partial class InstallTests
{
    [Fact]
    public void Without_Krita_the_program_is_installed_and_the_summary_says_Krita_was_not_found()
    {
        using var bare = new Sandbox();

        var run = bare.Install(bare.Package());

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("Krita was not found (looked for", run.Output);
        Assert.Contains("If you install Krita later, run editorbridge-setup again", run.Output);
        Assert.True(File.Exists(Path.Combine(bare.Layout.AppDirectory, "editorbridge.dll")));
        Assert.False(Directory.Exists(bare.InHome(".local/share/krita")));
        Assert.False(File.Exists(bare.InHome(".config/kritarc")));
    }

    [Fact]
    public void Krita_found_by_its_resource_folder_gets_a_kritarc_that_uninstall_removes_again()
    {
        using var fresh = new Sandbox();
        Directory.CreateDirectory(fresh.InHome(".local/share/krita"));
        var before = fresh.Snapshot();

        var run = fresh.Install(fresh.Package());

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Equal("[python]\nenable_editorbridge=true\n", File.ReadAllText(fresh.InHome(".config/kritarc")));
        fresh.Uninstall();
        SnapshotAssert.Same(before, fresh.Snapshot());
    }

    [Fact]
    public void A_corrupt_kritarc_is_left_untouched_with_a_clear_message()
    {
        var kritarc = box.InHome(".config/kritarc");
        var garbage = new byte[] { 0x5B, 0x47, 0x00, 0x01, 0xFF, 0xFE, 0x0A };
        File.WriteAllBytes(kritarc, garbage);

        var run = box.Install(box.Package());

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains($"{kritarc}: kritarc contains NUL bytes", run.Output);
        Assert.Contains("It was left untouched (nothing of it is lost). Enable editorbridge in Krita yourself: Settings > Configure Krita > Python Plugin Manager", run.Output);
        Assert.Equal(garbage, File.ReadAllBytes(kritarc));
        Assert.True(File.Exists(Path.Combine(PyKrita, "editorbridge/__init__.py")));

        var uninstall = box.Uninstall();
        Assert.True(uninstall.Code == ExitCodes.Ok, uninstall.ToString());
        Assert.Equal(garbage, File.ReadAllBytes(kritarc));
    }

    [Fact]
    public void Krita_running_during_the_install_gets_a_clear_warning()
    {
        box.Processes.ByName["krita"] = [31337];

        var run = box.Install(box.Package());

        Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
        Assert.Contains("Krita is running (process 31337). Quit Krita and start it again to load EditorBridge", run.Output);
        Assert.Contains("Please note:", run.Output);
        var again = box.Install(box.Package());
        Assert.True(again.Code == ExitCodes.Ok, "nothing changed, so nothing to restart:\n" + again);
    }

    [Fact]
    public void Flatpak_Krita_gets_the_plugin_in_its_own_folders()
    {
        using var fresh = new Sandbox();
        Directory.CreateDirectory(fresh.InHome(".var/app/org.kde.krita/config"));

        var run = fresh.Install(fresh.Package());

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.True(File.Exists(fresh.InHome(".var/app/org.kde.krita/data/krita/pykrita/editorbridge/__init__.py")));
        Assert.Equal("[python]\nenable_editorbridge=true\n", File.ReadAllText(fresh.InHome(".var/app/org.kde.krita/config/kritarc")));
    }

    [Fact]
    public void No_krita_leaves_Krita_alone_and_a_later_run_without_it_takes_the_plugin_off()
    {
        box.Install(box.Package());

        var run = box.Install(box.Package(), o => o with { Krita = false });

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("skipped (--no-krita)", run.Output);
        Assert.False(Directory.Exists(Path.Combine(PyKrita, "editorbridge")));
        Assert.Equal(UserKritarc, File.ReadAllText(box.InHome(".config/kritarc")));
    }
}
