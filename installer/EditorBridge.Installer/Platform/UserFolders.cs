using System.Runtime.InteropServices;

namespace EditorBridge.Installer.Platform;

/// <summary>
/// Everything the installer learns from the machine about where things go: the platform, the
/// user's home and the environment variables that move per-user folders. The real machine's
/// come from <see cref="FromSystem"/>; tests build their own (a temporary HOME, or a simulated
/// Windows or macOS user under a temporary folder) so every path rule runs on any OS.
/// </summary>
public sealed class UserFolders
{
    private readonly IReadOnlyDictionary<string, string> environment;

    public UserFolders(HostPlatform platform, string home, IReadOnlyDictionary<string, string> environment, string? documents = null, string systemRoot = "/")
    {
        Platform = platform;
        Home = home;
        this.environment = environment;
        DocumentsOverride = documents;
        SystemRoot = systemRoot;
    }

    public HostPlatform Platform { get; }

    public string Home { get; }

    /// <summary>Where absolute system paths (/usr/bin, /Applications, /var/lib/flatpak) are looked up; "/" on a real machine.</summary>
    public string SystemRoot { get; }

    private string? DocumentsOverride { get; }

    /// <summary>The machine this process runs on, as it is.</summary>
    public static UserFolders FromSystem()
    {
        var platform = OperatingSystem.IsWindows() ? HostPlatform.Windows : OperatingSystem.IsMacOS() ? HostPlatform.MacOS : HostPlatform.Linux;
        var variables = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string ?? "";
        var documents = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.MyDocuments) : null;
        return new UserFolders(platform, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), variables, documents);
    }

    /// <summary>The runtime identifier this machine needs (linux-x64, win-x64, osx-arm64, …).</summary>
    public static string CurrentRuntime
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "x86",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    public string? Variable(string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>A path under <see cref="SystemRoot"/> ("/usr/bin/krita" → SystemRoot/usr/bin/krita).</summary>
    public string System(string absolute) =>
        SystemRoot == "/" ? absolute : Path.Combine(SystemRoot, absolute.TrimStart('/'));

    public string XdgDataHome => Variable("XDG_DATA_HOME") ?? Path.Combine(Home, ".local", "share");

    public string XdgConfigHome => Variable("XDG_CONFIG_HOME") ?? Path.Combine(Home, ".config");

    public string XdgStateHome => Variable("XDG_STATE_HOME") ?? Path.Combine(Home, ".local", "state");

    /// <summary>%APPDATA% (roaming).</summary>
    public string AppData => Variable("APPDATA") ?? Path.Combine(Home, "AppData", "Roaming");

    /// <summary>%LOCALAPPDATA%.</summary>
    public string LocalAppData => Variable("LOCALAPPDATA") ?? Path.Combine(Home, "AppData", "Local");

    /// <summary>The user's Documents folder (Windows asks the shell: it may be moved to OneDrive).</summary>
    public string Documents => DocumentsOverride ?? Path.Combine(Home, "Documents");

    /// <summary>The 64-bit and 32-bit Program Files folders that exist in the environment.</summary>
    public IReadOnlyList<string> ProgramFiles =>
        new[] { Variable("ProgramW6432"), Variable("ProgramFiles"), Variable("ProgramFiles(x86)") }
            .Where(p => p is not null).Select(p => p!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The folders on PATH, in order.</summary>
    public IReadOnlyList<string> PathFolders =>
        (Variable("PATH") ?? "").Split(Platform == HostPlatform.Windows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The first file called <paramref name="program"/> on PATH (".exe" added on Windows).</summary>
    public string? FindOnPath(string program)
    {
        var name = Platform == HostPlatform.Windows && !program.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? program + ".exe" : program;
        return PathFolders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
    }

    public string ExecutableName(string name) => Platform == HostPlatform.Windows ? name + ".exe" : name;
}
