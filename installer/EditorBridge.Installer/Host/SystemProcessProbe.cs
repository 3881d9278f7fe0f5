using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EditorBridge.Installer.Host;

/// <summary>The processes of this machine.</summary>
public sealed partial class SystemProcessProbe : IProcessProbe
{
    public IReadOnlyList<int> Running(string processName)
    {
        var ids = new List<int>();
        foreach (var p in Process.GetProcessesByName(processName))
        {
            using (p)
            {
                if (p.Id != Environment.ProcessId)
                    ids.Add(p.Id);
            }
        }

        return ids;
    }

    public IReadOnlyList<int> RunningFrom(string appDirectory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appDirectory)) + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var ids = new List<int>();
        foreach (var p in Process.GetProcesses())
        {
            using (p)
            {
                if (p.Id == Environment.ProcessId)
                    continue;
                var program = ProgramOf(p);
                if (program is not null && program.StartsWith(root, comparison))
                    ids.Add(p.Id);
            }
        }

        return ids;
    }

    public bool Stop(int pid, TimeSpan grace)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return true;
        }

        using (process)
        {
            try
            {
                if (!OperatingSystem.IsWindows())
                    _ = Kill(pid, 15); // SIGTERM: the daemon shuts down cleanly
                if (OperatingSystem.IsWindows() || !process.WaitForExit(grace))
                    process.Kill(entireProcessTree: true);
                return process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return process.HasExited;
            }
        }
    }

    private static string? ProgramOf(Process p)
    {
        try
        {
            if (OperatingSystem.IsLinux())
                return new FileInfo($"/proc/{p.Id}/exe").LinkTarget;
            return p.MainModule?.FileName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null; // another user's process, or gone
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
