using System.Collections.Concurrent;
using System.Diagnostics;

namespace EditorBridge.Client;

/// <summary>
/// Starts <c>editorbridge serve --background</c> as a separate process, detached from the caller's
/// standard streams: the daemon outlives the command that started it, and if it held the command's
/// stdout or stderr, a pipe such as <c>editorbridge info | wc -l</c> would stay open until the daemon
/// ends. Its stdin, stdout and stderr are pipes of their own; the daemon writes its log to
/// <c>daemon.log</c> and, on Unix, points its stdout and stderr there too (native libraries'
/// messages included). What it prints before that is kept for the start-up error message.
/// </summary>
public static class DaemonLauncher
{
    public const string DaemonVariable = "EDITORBRIDGE_DAEMON";

    /// <summary>What <c>editorbridge serve</c> exits with when another daemon already holds the state folder.</summary>
    public const int AlreadyRunningExitCode = 7;

    public static LaunchedDaemon Start(string? command, string? stateDirectory)
    {
        var path = Resolve(command);
        var start = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { path } }
            : new ProcessStartInfo(path);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--background");
        if (stateDirectory is not null)
        {
            start.ArgumentList.Add("--state-dir");
            start.ArgumentList.Add(stateDirectory);
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new DaemonUnavailableException($"could not start {path}");
        return new LaunchedDaemon(process);
    }

    public static string Resolve(string? command)
    {
        var candidates = new[]
        {
            command,
            Environment.GetEnvironmentVariable(DaemonVariable),
            Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "editorbridge.exe" : "editorbridge"),
            Path.Combine(AppContext.BaseDirectory, "editorbridge.dll"),
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new DaemonUnavailableException(
                $"the daemon is not running and no 'editorbridge' program was found to start it (looked beside {AppContext.BaseDirectory}); set {DaemonVariable} to its path or run 'editorbridge serve'");
    }
}

/// <summary>A daemon process this client started, and the last lines it printed on its own pipes.</summary>
public sealed class LaunchedDaemon : IDisposable
{
    private const int KeptLines = 20;
    private readonly ConcurrentQueue<string> lines = new();

    internal LaunchedDaemon(Process process)
    {
        Process = process;
        // Read both pipes to their end, so the daemon never blocks on a full one while this client lives.
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public bool HasExited => Process.HasExited;

    public int ExitCode => Process.ExitCode;

    /// <summary>Once it has exited: its one-line error ("editorbridge: error: X" → "X") from its own pipes, if it printed one.</summary>
    public string? ExitMessage()
    {
        Process.WaitForExit(); // the pipes' last lines are in
        return DaemonConnection.Unprefixed(lines.LastOrDefault(l => l.StartsWith("editorbridge:", StringComparison.Ordinal)));
    }

    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lines.Enqueue(line.Trim());
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }
    }

    public void Dispose() => Process.Dispose();
}
