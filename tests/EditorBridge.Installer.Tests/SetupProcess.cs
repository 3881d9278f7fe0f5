using System.Diagnostics;
using System.Text;

namespace EditorBridge.Installer.Tests;

/// <summary>
/// Runs the real editorbridge-setup (the build beside the tests, through dotnet) as a separate
/// process with a clean environment: only HOME (the sandbox's), a PATH with dotnet, and what the
/// test adds. Optionally as an unprivileged user (see <see cref="Unprivileged"/>).
/// </summary>
internal static class SetupProcess
{
    public const int Nobody = 65534;

    private static string Dotnet =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static ProcessStartInfo StartInfo(string home, IReadOnlyDictionary<string, string>? variables, bool asNobody, params string[] args)
    {
        var setup = Path.Combine(AppContext.BaseDirectory, "editorbridge-setup.dll");
        ProcessStartInfo start;
        if (asNobody && Environment.IsPrivilegedProcess)
        {
            // 'nobody' may not be able to read the build folder (a checkout under /root): run a copy.
            var copy = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(home)!, "setup-copy")).FullName;
            foreach (var file in new[] { "editorbridge-setup.dll", "editorbridge-setup.deps.json", "editorbridge-setup.runtimeconfig.json", "System.CommandLine.dll" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(copy, file), overwrite: true);
            setup = Path.Combine(copy, "editorbridge-setup.dll");
            start = new ProcessStartInfo("setpriv") { ArgumentList = { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", Dotnet, setup } };
        }
        else
        {
            start = new ProcessStartInfo(Dotnet) { ArgumentList = { setup } };
        }

        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.Environment.Clear();
        start.Environment["HOME"] = home;
        start.Environment["PATH"] = string.Join(':', new[] { Path.GetDirectoryName(Path.GetFullPath(Dotnet == "dotnet" ? "/usr/bin/dotnet" : Dotnet)), "/usr/bin", "/bin" }.Distinct());
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root)
            start.Environment["DOTNET_ROOT"] = root;
        foreach (var (k, v) in variables ?? new Dictionary<string, string>())
            start.Environment[k] = v;
        return start;
    }

    public static async Task<Outcome> RunAsync(string home, IReadOnlyDictionary<string, string>? variables, params string[] args) =>
        await RunAsync(StartInfo(home, variables, asNobody: false, args));

    public static async Task<Outcome> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await output + await error);
    }

    /// <summary>Starts the setup with the pause seam and kills it once it says it paused; returns what it printed, or null when it finished first.</summary>
    public static async Task<string?> RunAndKillAsync(string home, int writes, params string[] args)
    {
        var start = StartInfo(home, new Dictionary<string, string> { [SetupEnvironment.PauseVariable] = writes.ToString(System.Globalization.CultureInfo.InvariantCulture) }, asNobody: false, args);
        using var process = Process.Start(start)!;
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains("paused before writing", StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(timeout.Token);
                return seen.ToString();
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode is ExitCodes.Ok or ExitCodes.DoneWithWarnings, $"the setup failed (exit {process.ExitCode}) before pausing after {writes} writes:\n{seen}{await process.StandardError.ReadToEndAsync()}");
        return null;
    }

    /// <summary>Hands a folder to 'nobody' (for the run without root's rights).</summary>
    public static void GiveToNobody(string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown") { ArgumentList = { "-R", $"{Nobody}:{Nobody}", path } })!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
