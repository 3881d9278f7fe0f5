using System.Security.Cryptography;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;
using EditorBridge.Testing;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// A painter's machine in a temporary folder: a home (with the XDG or Windows folders under it),
/// a "system root" standing in for /usr, /Applications and Program Files, no editors and no
/// daemons running (<see cref="Processes"/>), a registry in memory. Packages to install are built
/// here too: a small program folder, a stand-in Krita plugin and a stand-in Paint.NET plugin (see
/// <see cref="Package"/>), so the tests do not depend on which version of the Krita bridge or
/// the Paint.NET adapter is in the repository.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    private readonly TempDirectory temp = new("ebi");

    public Sandbox(HostPlatform platform = HostPlatform.Linux)
    {
        Platform = platform;
        Home = Directory.CreateDirectory(temp.File("home")).FullName;
        SystemRoot = Directory.CreateDirectory(temp.File("root")).FullName;
        Variables["HOME"] = Home;
        Variables["PATH"] = Directory.CreateDirectory(temp.File("empty-bin")).FullName;
        if (platform == HostPlatform.Windows)
        {
            Variables["APPDATA"] = Path.Combine(Home, "AppData", "Roaming");
            Variables["LOCALAPPDATA"] = Path.Combine(Home, "AppData", "Local");
            Variables["ProgramW6432"] = Path.Combine(SystemRoot, "Program Files");
            Variables["ProgramFiles"] = Path.Combine(SystemRoot, "Program Files");
            Variables["ProgramFiles(x86)"] = Path.Combine(SystemRoot, "Program Files (x86)");
        }
    }

    public HostPlatform Platform { get; }

    public string Root => temp.Path;

    public string Home { get; }

    public string SystemRoot { get; }

    public Dictionary<string, string> Variables { get; } = [];

    public FakeProcesses Processes { get; } = new();

    public FakeRegistry Registry { get; } = new();

    public FakeCommands Commands { get; } = new();

    public Action<string>? BeforeWrite { get; set; }

    public Func<string, long?>? FreeBytes { get; set; }

    /// <summary>Which shared libraries the simulated machine has (default: all).</summary>
    public Func<string, bool>? HasLibrary { get; set; }

    public Host.IProcessProbe? RealProcesses { get; set; }

    /// <summary>Stands for the single-file setup program copying itself into the program folder.</summary>
    public string? SelfExecutable { get; set; }

    public UserFolders Folders => new(Platform, Home, Variables, Platform == HostPlatform.Windows ? Path.Combine(Home, "Documents") : null, SystemRoot);

    public InstallLayout Layout => new(Folders);

    public SetupEnvironment Environment => new()
    {
        Folders = Folders,
        Registry = Platform == HostPlatform.Windows ? Registry : null,
        Processes = RealProcesses ?? Processes,
        Commands = Commands,
        FreeBytes = FreeBytes ?? (_ => null),
        HasLibrary = HasLibrary ?? (_ => true),
        BeforeWrite = BeforeWrite,
        SelfExecutable = SelfExecutable,
        RunHelpers = true,
    };

    public string File(string relative) => Path.Combine(Root, relative);

    public string InHome(string relative) => Path.Combine(Home, relative);

    /// <summary>Writes a file (and its folders) under the home.</summary>
    public string WriteHome(string relative, string content)
    {
        var path = InHome(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// A package as the release archive carries it: payload.json, a small program folder
    /// (the program, a library, an engine with a native library), a stand-in Krita plugin in
    /// pykrita layout (NAME.desktop naming module NAME, package NAME/ with a subpackage) and, if
    /// asked, a stand-in Paint.NET plugin folder. <paramref name="edit"/> changes it before use
    /// (a new version's files).
    /// </summary>
    public string Package(string version = "1.0.0", bool krita = true, bool paintDotNet = false, Action<string>? edit = null, string? runtime = null)
    {
        var root = File($"package-{version}-{Guid.NewGuid():N}"[..30]);
        Write(root, "payload.json", $$"""{"version": "{{version}}"{{(runtime is null ? "" : $", \"runtime\": \"{runtime}\"")}}}""");
        var program = Platform == HostPlatform.Windows ? "editorbridge.exe" : "editorbridge";
        Write(root, $"app/{program}", "#!/bin/sh\necho stand-in editorbridge " + version + "\n");
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(Path.Combine(root, "app", program), (UnixFileMode)0b111_101_101);
        Write(root, "app/editorbridge.dll", "stand-in program " + version);
        Write(root, "app/engines/classic/EditorBridge.Engines.Classic.dll", "stand-in engine " + version);
        Write(root, "app/engines/classic/runtimes/linux-x64/native/libOpenCvSharpExtern.so", new string('x', 4096));
        if (krita)
        {
            Write(root, "krita/editorbridge.desktop", "[Desktop Entry]\nType=Service\nServiceTypes=Krita/PythonPlugin\nX-KDE-Library=editorbridge\nX-Python-2-Compatible=false\nName=EditorBridge\n");
            Write(root, "krita/editorbridge/__init__.py", "# stand-in for the Krita bridge " + version + "\n");
            Write(root, "krita/editorbridge/client.py", "VERSION = '" + version + "'\n");
            Write(root, "krita/editorbridge/ui/__init__.py", "\n");
            Write(root, "krita/editorbridge/__pycache__/client.cpython-311.pyc", "not installed");
        }

        if (paintDotNet)
        {
            Write(root, "paintdotnet/EditorBridge.PaintDotNet.dll", "stand-in effect " + version);
            Write(root, "paintdotnet/EditorBridge.PaintDotNet.deps.json", "{}");
            Write(root, "paintdotnet/EditorBridge.PaintDotNet.Core.dll", "stand-in core " + version);
        }

        edit?.Invoke(root);
        return root;
    }

    public static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
    }

    public Outcome Install(string package, Func<SetupOptions, SetupOptions>? options = null)
    {
        var output = new StringWriter();
        var settings = new SetupOptions { PayloadDirectory = package };
        if (options is not null)
            settings = options(settings);
        var code = new Installation.Installer(Environment, settings, new Reporter(output)).Run();
        return new Outcome(code, output.ToString());
    }

    public Outcome Uninstall(bool purge = false, bool dryRun = false)
    {
        var output = new StringWriter();
        var code = new Uninstaller(Environment, new UninstallOptions { Purge = purge, DryRun = dryRun }, new Reporter(output)).Run();
        return new Outcome(code, output.ToString());
    }

    /// <summary>Everything under the home and the system root: path → what is there (content hash; with times, the modification time too).</summary>
    public SortedDictionary<string, string> Snapshot(bool withTimes = false)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in new[] { Home, SystemRoot })
        {
            foreach (var entry in new DirectoryInfo(top).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                var key = Path.GetRelativePath(Root, entry.FullName);
                map[key] = entry switch
                {
                    _ when entry.LinkTarget is not null => "link -> " + entry.LinkTarget,
                    DirectoryInfo => "folder",
                    FileInfo f => $"{f.Length} {Hash(f.FullName)}" + (withTimes ? $" {f.LastWriteTimeUtc.Ticks}" : ""),
                    _ => "?",
                };
            }
        }

        return map;
    }

    /// <summary>The content's hash; "locked" for a file a running daemon holds (daemon.lock).</summary>
    private static string Hash(string path)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path)));
        }
        catch (IOException)
        {
            return "locked";
        }
    }

    public void Dispose() => temp.Dispose();
}

internal sealed record Outcome(int Code, string Output)
{
    /// <summary>
    /// Done, allowing one warning a separate process cannot avoid on a shared machine: a Krita
    /// someone else is running (the Krita bridge's integration test runs real Krita).
    /// </summary>
    public bool Succeeded =>
        Code == ExitCodes.Ok
        || (Code == ExitCodes.DoneWithWarnings && Output.Split('\n').Where(l => l.TrimStart().StartsWith("! ", StringComparison.Ordinal))
            .All(l => l.Contains("Krita is running", StringComparison.Ordinal)));

    public override string ToString() => $"exit {Code}\n{Output}";
}
