using EditorBridge.Installer.Platform;

namespace EditorBridge.Installer.Editors;

/// <summary>
/// The places each kind of Krita reads Python plugins and kritarc from, and whether that Krita
/// is present:
/// <list type="bullet">
/// <item>Linux (distribution package or AppImage): <c>$XDG_DATA_HOME/krita/pykrita</c>, <c>$XDG_CONFIG_HOME/kritarc</c>.</item>
/// <item>Linux Flatpak (org.kde.krita): <c>~/.var/app/org.kde.krita/data/krita/pykrita</c>, <c>~/.var/app/org.kde.krita/config/kritarc</c>.</item>
/// <item>Linux Snap: <c>~/snap/krita/current/.local/share/krita/pykrita</c>, <c>~/snap/krita/current/.config/kritarc</c>.</item>
/// <item>Windows: <c>%APPDATA%\krita\pykrita</c>, <c>%LOCALAPPDATA%\kritarc</c>; the Microsoft Store
/// package (MSIX, AppData redirected): <c>%LOCALAPPDATA%\Packages\&lt;Krita package&gt;\LocalCache\Roaming\krita\pykrita</c>,
/// <c>…\LocalCache\Local\kritarc</c>.</item>
/// <item>macOS: <c>~/Library/Application Support/krita/pykrita</c>, <c>~/Library/Preferences/kritarc</c>.</item>
/// </list>
/// </summary>
public static class KritaLocator
{
    private static readonly string[] AppImageFolders = ["Applications", "Downloads", "Desktop", "bin", Path.Combine(".local", "bin"), "."];

    /// <summary>Every place Krita could be for this user; <see cref="KritaInstallation.Detected"/> tells which are real.</summary>
    public static IReadOnlyList<KritaInstallation> Find(UserFolders f) => f.Platform switch
    {
        HostPlatform.Windows => Windows(f),
        HostPlatform.MacOS => MacOS(f),
        _ => Linux(f),
    };

    private static List<KritaInstallation> Linux(UserFolders f)
    {
        var resources = Path.Combine(f.XdgDataHome, "krita");
        var kritarc = Path.Combine(f.XdgConfigHome, "kritarc");
        var list = new List<KritaInstallation>
        {
            new("Krita", resources, kritarc, FirstEvidence(
                ("kritarc", File.Exists(kritarc) ? kritarc : null),
                ("resource folder", Directory.Exists(resources) ? resources : null),
                ("program", f.FindOnPath("krita") ?? ExistingFile(f.System("/usr/bin/krita"))),
                ("AppImage", FindAppImage(f)))),
        };

        var flatpakHome = Path.Combine(f.Home, ".var", "app", "org.kde.krita");
        list.Add(new("Krita (Flatpak)", Path.Combine(flatpakHome, "data", "krita"), Path.Combine(flatpakHome, "config", "kritarc"), FirstEvidence(
            ("Flatpak data", Directory.Exists(flatpakHome) ? flatpakHome : null),
            ("Flatpak app", ExistingDirectory(Path.Combine(f.XdgDataHome, "flatpak", "app", "org.kde.krita"))
                             ?? ExistingDirectory(f.System("/var/lib/flatpak/app/org.kde.krita"))))));

        var snapHome = Path.Combine(f.Home, "snap", "krita");
        list.Add(new("Krita (Snap)", Path.Combine(snapHome, "current", ".local", "share", "krita"), Path.Combine(snapHome, "current", ".config", "kritarc"), FirstEvidence(
            ("Snap data", Directory.Exists(snapHome) ? snapHome : null),
            ("Snap app", ExistingDirectory(f.System("/snap/krita"))))));
        return list;
    }

    private static List<KritaInstallation> Windows(UserFolders f)
    {
        var resources = Path.Combine(f.AppData, "krita");
        var kritarc = Path.Combine(f.LocalAppData, "kritarc");
        var program = f.ProgramFiles
            .SelectMany(pf => new[] { Path.Combine(pf, "Krita (x64)", "bin", "krita.exe"), Path.Combine(pf, "Krita (x86)", "bin", "krita.exe"), Path.Combine(pf, "Krita", "bin", "krita.exe") })
            .FirstOrDefault(File.Exists);
        var list = new List<KritaInstallation>
        {
            new("Krita", resources, kritarc, FirstEvidence(
                ("kritarc", File.Exists(kritarc) ? kritarc : null),
                ("resource folder", Directory.Exists(resources) ? resources : null),
                ("program", program ?? f.FindOnPath("krita")))),
        };

        // The Store (MSIX) package writes %APPDATA%/%LOCALAPPDATA% into its own LocalCache.
        var packages = Path.Combine(f.LocalAppData, "Packages");
        if (Directory.Exists(packages))
        {
            foreach (var package in Directory.EnumerateDirectories(packages, "*Krita*").Order(StringComparer.OrdinalIgnoreCase))
            {
                list.Add(new($"Krita (Microsoft Store: {Path.GetFileName(package)})",
                    Path.Combine(package, "LocalCache", "Roaming", "krita"),
                    Path.Combine(package, "LocalCache", "Local", "kritarc"),
                    $"Store package {package}"));
            }
        }

        return list;
    }

    private static List<KritaInstallation> MacOS(UserFolders f)
    {
        var resources = Path.Combine(f.Home, "Library", "Application Support", "krita");
        var kritarc = Path.Combine(f.Home, "Library", "Preferences", "kritarc");
        return
        [
            new("Krita", resources, kritarc, FirstEvidence(
                ("kritarc", File.Exists(kritarc) ? kritarc : null),
                ("resource folder", Directory.Exists(resources) ? resources : null),
                ("program", ExistingDirectory(f.System("/Applications/krita.app")) ?? ExistingDirectory(Path.Combine(f.Home, "Applications", "krita.app"))))),
        ];
    }

    private static string? FindAppImage(UserFolders f)
    {
        foreach (var folder in AppImageFolders.Select(d => Path.GetFullPath(Path.Combine(f.Home, d))).Distinct())
        {
            if (!Directory.Exists(folder))
                continue;
            try
            {
                var found = Directory.EnumerateFiles(folder)
                    .FirstOrDefault(p => Path.GetFileName(p).StartsWith("krita", StringComparison.OrdinalIgnoreCase)
                                         && p.EndsWith(".appimage", StringComparison.OrdinalIgnoreCase));
                if (found is not null)
                    return found;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // an unreadable folder is not evidence either way
            }
        }

        return null;
    }

    private static string? FirstEvidence(params (string What, string? Where)[] clues) =>
        clues.Where(c => c.Where is not null).Select(c => $"{c.What} {c.Where}").FirstOrDefault();

    private static string? ExistingFile(string path) => File.Exists(path) ? path : null;

    private static string? ExistingDirectory(string path) => Directory.Exists(path) ? path : null;
}
