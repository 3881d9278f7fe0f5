using System.Text;
using System.Text.Json;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Tests;

/// <summary>Start at login: a systemd user unit, off unless asked for, kept by later runs until turned off.</summary>
public sealed partial class InstallTests
{
    [Fact]
    public void Autostart_is_a_systemd_user_unit_kept_by_later_runs_until_turned_off()
    {
        var package = box.Package();
        var unit = box.InHome(".config/systemd/user/editorbridge.service");
        var wants = box.InHome(".config/systemd/user/default.target.wants/editorbridge.service");

        var on = box.Install(package, o => o with { Autostart = true });

        Assert.True(on.Code == ExitCodes.Ok, on.ToString());
        Assert.Contains($"ExecStart=\"{Path.Combine(AppDir, "editorbridge")}\" serve\n", File.ReadAllText(unit));
        Assert.Equal(unit, new FileInfo(wants).LinkTarget);
        Assert.Contains("systemctl --user daemon-reload", box.Commands.Calls);

        var plain = box.Install(package);
        Assert.Contains("Nothing to change", plain.Output);
        Assert.True(File.Exists(unit));

        var off = box.Install(package, o => o with { Autostart = false });
        Assert.True(off.Code == ExitCodes.Ok, off.ToString());
        Assert.False(File.Exists(unit));
        Assert.False(FileOps.Exists(wants));
        Assert.False(Directory.Exists(box.InHome(".config/systemd")), "folders the install created go with the unit");
    }

    [Fact]
    public void Autostart_is_off_by_default()
    {
        box.Install(box.Package());

        Assert.False(Directory.Exists(box.InHome(".config/systemd")));
        Assert.False(InstallManifest.Parse(File.ReadAllBytes(box.Layout.ManifestPath), "m").Autostart);
    }
}
