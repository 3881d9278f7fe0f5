using EditorBridge.Installer.Platform;

namespace EditorBridge.Installer.Editors;

/// <summary>
/// Finds Paint.NET (Windows only): the classic edition by its program in Program Files
/// (<c>paint.net\paintdotnet.exe</c>), the Microsoft Store edition by its package data folder
/// (<c>%LOCALAPPDATA%\Packages\dotPDN.PaintDotNet_*</c>; its program folder under WindowsApps is
/// not readable by users).
/// </summary>
public static class PaintDotNetLocator
{
    public const string StorePackagePrefix = "dotPDN.PaintDotNet_";

    public static PaintDotNetInstallation Find(UserFolders f)
    {
        var effects = Path.Combine(f.Documents, "paint.net App Files", "Effects");
        if (f.Platform != HostPlatform.Windows)
            return new PaintDotNetInstallation([], effects);

        var editions = new List<string>();
        var classic = f.ProgramFiles
            .SelectMany(pf => new[] { Path.Combine(pf, "paint.net", "paintdotnet.exe"), Path.Combine(pf, "paint.net", "PaintDotNet.exe") })
            .FirstOrDefault(File.Exists);
        if (classic is not null)
            editions.Add($"classic edition ({Path.GetDirectoryName(classic)})");

        var packages = Path.Combine(f.LocalAppData, "Packages");
        if (Directory.Exists(packages))
        {
            var store = Directory.EnumerateDirectories(packages, StorePackagePrefix + "*").Order(StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            if (store is not null)
                editions.Add($"Microsoft Store edition ({Path.GetFileName(store)})");
        }

        return new PaintDotNetInstallation(editions, effects);
    }
}
