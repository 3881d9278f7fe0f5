using EditorBridge.Installer.Host;
using EditorBridge.Installer.Platform;

namespace EditorBridge.Installer;

/// <summary>
/// The machine as the installer sees it. <see cref="ForThisMachine"/> is the real one; tests put
/// in a temporary home, a simulated Windows or macOS user, a registry in memory, no processes,
/// a disk that fills up.
/// </summary>
public sealed class SetupEnvironment
{
    private InstallLayout? layout;

    public required UserFolders Folders { get; init; }

    public InstallLayout Layout => layout ??= new InstallLayout(Folders);

    /// <summary>HKEY_CURRENT_USER (Windows); null elsewhere.</summary>
    public IUserRegistry? Registry { get; init; }

    public required IProcessProbe Processes { get; init; }

    public required ICommandRunner Commands { get; init; }

    /// <summary>Free bytes on the file system holding an existing folder; null when unknown.</summary>
    public Func<string, long?> FreeBytes { get; init; } = DefaultFreeBytes;

    /// <summary>The setup program to copy into the program folder (the single-file release build); null when run from a build folder.</summary>
    public string? SelfExecutable { get; init; }

    /// <summary>Called before each file is written (test seam: a full disk, a permission refused half-way).</summary>
    public Action<string>? BeforeWrite { get; init; }

    /// <summary>Whether a shared library (by file name, e.g. libgtk-3.so.0) is installed (test seam).</summary>
    public Func<string, bool>? HasLibrary { get; init; }

    /// <summary>Run helper programs such as systemctl (off for simulated machines).</summary>
    public bool RunHelpers { get; init; } = true;

    /// <summary>
    /// Test seam for an install killed half-way: with this variable set to N the program stops
    /// before its (N+1)-th change (the write-permission probes do not count), says so on stdout
    /// and waits to be killed.
    /// </summary>
    public const string PauseVariable = "EDITORBRIDGE_SETUP_TEST_PAUSE_AFTER";

    public static SetupEnvironment ForThisMachine()
    {
        var folders = UserFolders.FromSystem();
        return new SetupEnvironment
        {
            Folders = folders,
            Registry = OperatingSystem.IsWindows() ? new WindowsUserRegistry() : null,
            Processes = new SystemProcessProbe(),
            Commands = new SystemCommandRunner(),
            HasLibrary = OperatingSystem.IsLinux() ? name => SharedLibraries.Present(name, new SystemCommandRunner()) : null,
            SelfExecutable = SingleFileSelf(),
            BeforeWrite = int.TryParse(Environment.GetEnvironmentVariable(PauseVariable), out var writes) ? PauseAfter(writes) : null,
        };
    }

    private static Action<string> PauseAfter(int writes)
    {
        int count = 0;
        return path =>
        {
            if (path.Contains(".editorbridge-probe-", StringComparison.Ordinal) || ++count <= writes)
                return;
            Console.Out.WriteLine($"editorbridge-setup: paused before writing {path} ({PauseVariable}={writes})");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        };
    }

    /// <summary>The path of this program when it is the single-file build (its assembly has no location then).</summary>
    private static string? SingleFileSelf()
    {
#pragma warning disable IL3000 // an empty Location is exactly the single-file test
        var bundled = string.IsNullOrEmpty(typeof(SetupEnvironment).Assembly.Location);
#pragma warning restore IL3000
        return bundled && Environment.ProcessPath is { } path && File.Exists(path) ? path : null;
    }

    private static long? DefaultFreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
