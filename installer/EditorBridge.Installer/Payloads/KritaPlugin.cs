namespace EditorBridge.Installer.Payloads;

/// <summary>
/// A Krita Python plugin in pykrita layout: <c>NAME.desktop</c> (with <c>X-KDE-Library=NAME</c>)
/// beside the package folder <c>NAME/</c> (or a module <c>NAME.py</c>). Krita enables it with
/// <c>enable_NAME=true</c> in kritarc's <c>[python]</c> group.
/// </summary>
public sealed record KritaPlugin(string Library, string DesktopFile, string Module)
{
    public string EnableKey => $"enable_{Library}";

    /// <summary>Reads the plugin named by one .desktop file; a clear message when it is malformed.</summary>
    public static KritaPlugin FromDesktopFile(string desktopFile)
    {
        var folder = Path.GetDirectoryName(desktopFile)!;
        var library = File.ReadLines(desktopFile)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("X-KDE-Library", StringComparison.Ordinal) && l.Contains('='))
            .Select(l => l[(l.IndexOf('=') + 1)..].Trim())
            .FirstOrDefault();
        if (string.IsNullOrEmpty(library) || library.IndexOfAny(['/', '\\', '.']) >= 0 || library.Any(char.IsWhiteSpace))
            throw new PayloadException($"the Krita plugin description {desktopFile} names no module (a line 'X-KDE-Library=NAME' is needed)");
        var package = Path.Combine(folder, library);
        if (File.Exists(Path.Combine(package, "__init__.py")))
            return new KritaPlugin(library, desktopFile, package);
        if (File.Exists(package + ".py"))
            return new KritaPlugin(library, desktopFile, package + ".py");
        throw new PayloadException($"the Krita plugin {library} ({desktopFile}) has no package folder '{library}/__init__.py' nor module '{library}.py' beside it");
    }
}
