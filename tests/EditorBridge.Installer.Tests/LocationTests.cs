using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Platform;
using EditorBridge.LocalState;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// Where things go and how editors are found, per platform. Windows and macOS users are
/// simulated under a temporary folder (their paths are built with this OS's separator); only
/// the rules are tested here, not the real machines.
/// </summary>
public sealed class LocationTests
{
    [Fact]
    public void Linux_layout_follows_XDG()
    {
        using var box = new Sandbox();
        box.Variables["XDG_DATA_HOME"] = box.InHome("data");
        box.Variables["XDG_STATE_HOME"] = box.InHome("state");

        var layout = box.Layout;

        Assert.Equal(box.InHome("data/editorbridge/app"), layout.AppDirectory);
        Assert.Equal(box.InHome(".local/bin"), layout.BinDirectory);
        Assert.Equal(box.InHome("state/editorbridge"), layout.StateDirectory);
        Assert.Equal(box.InHome("data/editorbridge/models"), layout.ModelsDirectory);
        Assert.Equal(box.InHome("data/editorbridge/app/install-manifest.json"), layout.ManifestPath);
    }

    [Fact]
    public void Windows_layout_is_where_the_PaintDotNet_plugin_looks_for_the_daemon()
    {
        using var box = new Sandbox(HostPlatform.Windows);

        var layout = box.Layout;

        Assert.Equal(box.InHome("AppData/Local/Programs/EditorBridge"), layout.AppDirectory);
        Assert.Equal(box.InHome("AppData/Local/Programs/EditorBridge/editorbridge.exe"), layout.DaemonExecutable);
        Assert.Null(layout.BinDirectory);
        Assert.Equal(box.InHome("AppData/Local/EditorBridge"), layout.StateDirectory);
    }

    [Fact]
    public void MacOS_layout()
    {
        using var box = new Sandbox(HostPlatform.MacOS);

        Assert.Equal(box.InHome("Library/Application Support/EditorBridge/app"), box.Layout.AppDirectory);
        Assert.Equal(box.InHome("Library/Application Support/EditorBridge"), box.Layout.StateDirectory);
    }

    [Fact]
    public void The_state_folder_is_the_one_the_daemon_uses_on_this_machine()
    {
        var layout = new InstallLayout(UserFolders.FromSystem());

        Assert.Equal(StatePaths.ForCurrentUser().StateDirectory, layout.StateDirectory);
    }

    [Fact]
    public void The_state_folder_variable_is_the_daemons()
    {
        Assert.Equal(StatePaths.StateDirVariable, InstallLayout.StateDirVariable);
    }

    [Fact]
    public void EDITORBRIDGE_STATE_DIR_moves_the_state_folder_as_it_does_for_the_daemon()
    {
        using var box = new Sandbox();
        box.Variables[StatePaths.StateDirVariable] = box.File("elsewhere");

        Assert.Equal(box.File("elsewhere"), box.Layout.StateDirectory);
    }

    [Fact]
    public void No_Krita_is_found_on_a_bare_home()
    {
        using var box = new Sandbox();

        Assert.DoesNotContain(KritaLocator.Find(box.Folders), k => k.Detected);
    }

    [Theory]
    [InlineData("kritarc")]
    [InlineData("resource folder")]
    [InlineData("program on PATH")]
    [InlineData("program in /usr/bin")]
    [InlineData("AppImage")]
    public void Linux_Krita_is_found_by_any_of_its_traces(string trace)
    {
        using var box = new Sandbox();
        switch (trace)
        {
            case "kritarc":
                box.WriteHome(".config/kritarc", "[General]\n");
                break;
            case "resource folder":
                Directory.CreateDirectory(box.InHome(".local/share/krita"));
                break;
            case "program on PATH":
                Sandbox.Write(box.Variables["PATH"], "krita", "#!/bin/sh\n");
                break;
            case "program in /usr/bin":
                Sandbox.Write(box.SystemRoot, "usr/bin/krita", "#!/bin/sh\n");
                break;
            case "AppImage":
                box.WriteHome("Applications/krita-5.2.9-x86_64.AppImage", "");
                break;
        }

        var krita = Assert.Single(KritaLocator.Find(box.Folders), k => k.Detected);

        Assert.Equal("Krita", krita.Name);
        Assert.Equal(box.InHome(".local/share/krita/pykrita"), krita.PluginDirectory);
        Assert.Equal(box.InHome(".config/kritarc"), krita.KritarcPath);
    }

    [Fact]
    public void Linux_Flatpak_and_Snap_Krita_keep_their_files_in_their_own_folders()
    {
        using var box = new Sandbox();
        Directory.CreateDirectory(box.InHome(".var/app/org.kde.krita"));
        Directory.CreateDirectory(box.InHome("snap/krita/12"));

        var found = KritaLocator.Find(box.Folders).Where(k => k.Detected).ToList();

        var flatpak = Assert.Single(found, k => k.Name == "Krita (Flatpak)");
        Assert.Equal(box.InHome(".var/app/org.kde.krita/data/krita/pykrita"), flatpak.PluginDirectory);
        Assert.Equal(box.InHome(".var/app/org.kde.krita/config/kritarc"), flatpak.KritarcPath);
        var snap = Assert.Single(found, k => k.Name == "Krita (Snap)");
        Assert.Equal(box.InHome("snap/krita/current/.local/share/krita/pykrita"), snap.PluginDirectory);
        Assert.Equal(box.InHome("snap/krita/current/.config/kritarc"), snap.KritarcPath);
        Assert.DoesNotContain(found, k => k.Name == "Krita");
    }

    [Fact]
    public void Windows_Krita_uses_APPDATA_for_plugins_and_LOCALAPPDATA_for_kritarc_and_the_Store_package_its_LocalCache()
    {
        using var box = new Sandbox(HostPlatform.Windows);
        Sandbox.Write(box.SystemRoot, "Program Files/Krita (x64)/bin/krita.exe", "");
        Directory.CreateDirectory(box.InHome("AppData/Local/Packages/49800KritaProject.Krita_7yn9vz8r3yc9p"));

        var found = KritaLocator.Find(box.Folders).Where(k => k.Detected).ToList();

        var classic = Assert.Single(found, k => k.Name == "Krita");
        Assert.Equal(box.InHome("AppData/Roaming/krita/pykrita"), classic.PluginDirectory);
        Assert.Equal(box.InHome("AppData/Local/kritarc"), classic.KritarcPath);
        Assert.Contains("krita.exe", classic.Evidence);
        var store = Assert.Single(found, k => k.Name.StartsWith("Krita (Microsoft Store", StringComparison.Ordinal));
        Assert.Equal(box.InHome("AppData/Local/Packages/49800KritaProject.Krita_7yn9vz8r3yc9p/LocalCache/Roaming/krita/pykrita"), store.PluginDirectory);
        Assert.Equal(box.InHome("AppData/Local/Packages/49800KritaProject.Krita_7yn9vz8r3yc9p/LocalCache/Local/kritarc"), store.KritarcPath);
    }

    [Fact]
    public void MacOS_Krita_uses_Application_Support_and_Preferences()
    {
        using var box = new Sandbox(HostPlatform.MacOS);
        Directory.CreateDirectory(Path.Combine(box.SystemRoot, "Applications", "krita.app"));

        var krita = Assert.Single(KritaLocator.Find(box.Folders), k => k.Detected);

        Assert.Equal(box.InHome("Library/Application Support/krita/pykrita"), krita.PluginDirectory);
        Assert.Equal(box.InHome("Library/Preferences/kritarc"), krita.KritarcPath);
    }

    [Theory]
    [InlineData("classic", "classic edition")]
    [InlineData("store", "Microsoft Store edition (dotPDN.PaintDotNet_h55e3w7q8jbva)")]
    public void PaintDotNet_is_found_in_both_editions_and_takes_plugins_from_Documents(string edition, string expected)
    {
        using var box = new Sandbox(HostPlatform.Windows);
        if (edition == "classic")
            Sandbox.Write(box.SystemRoot, "Program Files/paint.net/paintdotnet.exe", "");
        else
            Directory.CreateDirectory(box.InHome("AppData/Local/Packages/dotPDN.PaintDotNet_h55e3w7q8jbva"));

        var pdn = PaintDotNetLocator.Find(box.Folders);

        Assert.Contains(expected, Assert.Single(pdn.Editions));
        Assert.Equal(box.InHome("Documents/paint.net App Files/Effects/EditorBridge"), pdn.PluginDirectory);
    }

    [Fact]
    public void PaintDotNet_is_never_found_off_Windows()
    {
        using var box = new Sandbox();
        Sandbox.Write(box.SystemRoot, "Program Files/paint.net/paintdotnet.exe", "");

        Assert.False(PaintDotNetLocator.Find(box.Folders).Detected);
    }
}
