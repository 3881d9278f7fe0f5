using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EditorBridge.Bench;

/// <summary>
/// CPU seconds (user + system) of processes: a child's from getrusage(RUSAGE_CHILDREN) before
/// and after it is waited for (run one child at a time), a live process's from /proc/PID/stat. Linux.
/// </summary>
internal static class ChildCpu
{
    private const int RusageChildren = -1;

    /// <summary>Runs a program to its end; its CPU and wall seconds, exit code and standard output.</summary>
    public static async Task<(double Cpu, double Wall, int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        double before = Children();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        double wall = clock.Elapsed.TotalSeconds;
        var text = await output + await error;
        return (Children() - before, wall, process.ExitCode, text);
    }

    /// <summary>User + system CPU seconds a running process has used so far.</summary>
    public static double OfProcess(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields after "(comm) ": state is [0]; utime and stime are the 14th and 15th of the whole line
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    private static double Children()
    {
        if (getrusage(RusageChildren, out var usage) != 0)
            throw new InvalidOperationException("getrusage failed");
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    // struct rusage on 64-bit Linux: two timevals, then 14 longs (144 bytes)
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);
}
