using System.Text.Json;
using EditorBridge.Installer.Installation;
using System.Text.Json.Serialization;

namespace EditorBridge.Installer.Payloads;

/// <summary>
/// What a release archive carries beside <c>editorbridge-setup</c>, in <c>payload/</c>:
/// <list type="bullet">
/// <item><c>payload.json</c>: <c>{"version": "0.1.0", "runtime": "linux-x64"}</c>;</item>
/// <item><c>app/</c>: the <c>editorbridge</c> program (daemon + CLI) and <c>engines/&lt;name&gt;/</c>;</item>
/// <item><c>krita/</c> (optional): Krita plugins in pykrita layout (<c>NAME.desktop</c> + <c>NAME/</c>);</item>
/// <item><c>paintdotnet/</c> (optional): the Paint.NET effect's folder (<c>EditorBridge.PaintDotNet.dll</c>, its .deps.json and dependencies).</item>
/// </list>
/// </summary>
public sealed class Payload
{
    public const string DescriptionFile = "payload.json";
    public const string PaintDotNetAssembly = "EditorBridge.PaintDotNet.dll";

    /// <summary>Names the installer writes into the program folder itself; a package cannot carry them.</summary>
    private static readonly string[] ReservedAppNames = ["install-manifest.json", "editorbridge-setup", "editorbridge-setup.exe"];

    private Payload(string root, string version, string? runtime, string appDirectory, string? kritaDirectory, IReadOnlyList<KritaPlugin> kritaPlugins, string? paintDotNetDirectory)
    {
        Root = root;
        Version = version;
        Runtime = runtime;
        AppDirectory = appDirectory;
        KritaDirectory = kritaDirectory;
        KritaPlugins = kritaPlugins;
        PaintDotNetDirectory = paintDotNetDirectory;
    }

    public string Root { get; }

    public string Version { get; }

    /// <summary>The runtime identifier the package was built for (linux-x64, win-x64, osx-arm64); null when unknown.</summary>
    public string? Runtime { get; }

    public string AppDirectory { get; }

    public string? KritaDirectory { get; }

    public IReadOnlyList<KritaPlugin> KritaPlugins { get; }

    public string? PaintDotNetDirectory { get; }

    /// <summary>Reads and checks the package in <paramref name="root"/>.</summary>
    public static Payload Load(string root)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new PayloadException($"no package to install at {root} (run editorbridge-setup from the unpacked release archive, or pass --payload)");
        var (version, runtime) = ReadDescription(Path.Combine(root, DescriptionFile));

        var app = Path.Combine(root, "app");
        if (!new[] { "editorbridge", "editorbridge.exe", "editorbridge.dll" }.Any(n => File.Exists(Path.Combine(app, n))))
            throw new PayloadException($"the package at {root} is incomplete: {app} has no editorbridge program");

        var krita = Path.Combine(root, "krita");
        IReadOnlyList<KritaPlugin> plugins = [];
        if (Directory.Exists(krita))
        {
            plugins = Directory.EnumerateFiles(krita, "*.desktop").Order(StringComparer.Ordinal).Select(KritaPlugin.FromDesktopFile).ToList();
            if (plugins.Count == 0)
                throw new PayloadException($"the package's Krita folder {krita} has no plugin (no NAME.desktop file)");
        }

        var pdn = Path.Combine(root, "paintdotnet");
        if (Directory.Exists(pdn) && !File.Exists(Path.Combine(pdn, PaintDotNetAssembly)))
            throw new PayloadException($"the package's Paint.NET folder {pdn} has no {PaintDotNetAssembly}");

        return new Payload(root, version, runtime, app, plugins.Count > 0 ? krita : null, plugins, Directory.Exists(pdn) ? pdn : null);
    }

    /// <summary>The program's files (relative to the program folder).</summary>
    public IReadOnlyList<PayloadFile> AppFiles() =>
        Enumerate(AppDirectory, AppDirectory).Where(f => !ReservedAppNames.Contains(f.RelativePath, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>The Krita plugins' files (relative to pykrita/): each .desktop file and its module.</summary>
    public IReadOnlyList<PayloadFile> KritaFiles()
    {
        var files = new List<PayloadFile>();
        foreach (var plugin in KritaPlugins)
        {
            files.Add(Describe(plugin.DesktopFile, KritaDirectory!));
            if (Directory.Exists(plugin.Module))
                files.AddRange(Enumerate(plugin.Module, KritaDirectory!));
            else
                files.Add(Describe(plugin.Module, KritaDirectory!));
        }

        return files;
    }

    /// <summary>The Paint.NET plugin's files (relative to its Effects subfolder).</summary>
    public IReadOnlyList<PayloadFile> PaintDotNetFiles() =>
        PaintDotNetDirectory is null ? [] : Enumerate(PaintDotNetDirectory, PaintDotNetDirectory).ToList();

    private static IEnumerable<PayloadFile> Enumerate(string folder, string relativeTo)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None, IgnoreInaccessible = false };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(p => !IsBuildLitter(Path.GetRelativePath(relativeTo, p)))
            .Order(StringComparer.Ordinal)
            .Select(p => Describe(p, relativeTo));
    }

    private static PayloadFile Describe(string path, string relativeTo) =>
        new(path, Path.GetRelativePath(relativeTo, path), new FileInfo(path).Length);

    /// <summary>Python's caches and the installer's own temporary files never travel.</summary>
    private static bool IsBuildLitter(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Contains("__pycache__")
        || relative.EndsWith(".pyc", StringComparison.OrdinalIgnoreCase)
        || relative.EndsWith(FileOps.NewSuffix, StringComparison.Ordinal)
        || relative.EndsWith(FileOps.OldSuffix, StringComparison.Ordinal);

    private static (string Version, string? Runtime) ReadDescription(string path)
    {
        if (!File.Exists(path))
            return ("unknown", null);
        try
        {
            var description = JsonSerializer.Deserialize<Description>(File.ReadAllText(path));
            return (string.IsNullOrWhiteSpace(description?.Version) ? "unknown" : description.Version, description?.Runtime);
        }
        catch (JsonException e)
        {
            throw new PayloadException($"the package description {path} is damaged: {e.Message}");
        }
    }

    private sealed record Description(
        [property: JsonPropertyName("version")] string? Version,
        [property: JsonPropertyName("runtime")] string? Runtime);
}
