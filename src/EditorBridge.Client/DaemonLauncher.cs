using System.Diagnostics;

namespace EditorBridge.Client;

/// <summary>Starts <c>editorbridge serve --background</c> as a separate process.</summary>
public static class DaemonLauncher
{
    public const string DaemonVariable = "EDITORBRIDGE_DAEMON";

    /// <summary>What <c>editorbridge serve</c> exits with when another daemon already holds the state folder.</summary>
    public const int AlreadyRunningExitCode = 7;

    public static Process Start(string? command, string? stateDirectory)
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
        // Not inherited: a daemon holding the client's stdout/stderr would keep a pipe such as
        // 'editorbridge info | wc -l' open until the daemon exits. With --background it writes to daemon.log.
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new DaemonUnavailableException($"could not start {path}");
        process.StandardOutput.Close();
        process.StandardError.Close();
        return process;
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
