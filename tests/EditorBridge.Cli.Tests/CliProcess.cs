using System.Collections.Concurrent;
using System.Diagnostics;

namespace EditorBridge.Cli.Tests;

/// <summary>Runs the real `editorbridge` program and captures what a user would see.</summary>
internal static class CliProcess
{
    /// <summary>Only a hang guard: a command that has not ended (and closed its output) by then is stuck.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(300);

    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Task<Outcome> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs the program with these environment variables set (e.g. EDITORBRIDGE_MODELS_DIR).</summary>
    public static async Task<Outcome> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var running = Start(environment, null, args);
        return await running.WaitAsync();
    }

    /// <summary>Starts the program and returns at once: its output is read as it comes.</summary>
    public static Running Start(IReadOnlyDictionary<string, string> environment, string? workingDirectory, params string[] args)
    {
        // A test runner started in the background of a non-interactive shell (CI, `cmd &`) inherits
        // SIGINT ignored, and so would the program: Ctrl+C could not reach it. `env --default-signal=INT`
        // gives it the disposition a terminal would (it execs dotnet, so the pid stays the program's).
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "editorbridge.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("EDITORBRIDGE_STATE_DIR");
        start.Environment.Remove("EDITORBRIDGE_MODELS_DIR");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new Running(Process.Start(start)!);
    }

    /// <summary>A running `editorbridge`: its stdout and stderr are read to their ends as they come.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly Process process;
        private readonly Task<string> output;
        private readonly ConcurrentQueue<string> errorLines = new();
        private readonly Task error;

        public Running(Process process)
        {
            this.process = process;
            output = process.StandardOutput.ReadToEndAsync();
            error = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                    errorLines.Enqueue(line);
            });
        }

        public int Pid => process.Id;

        /// <summary>Waits (at most <see cref="HangGuard"/>) until stderr has a line containing <paramref name="text"/>.</summary>
        public async Task WaitForErrorLineAsync(string text)
        {
            var until = DateTime.UtcNow + HangGuard;
            while (!errorLines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > until || error.IsCompleted && !errorLines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                    throw new TimeoutException($"no '{text}' on stderr; it has: {string.Join(" | ", errorLines)}");
                await Task.Delay(20);
            }
        }

        /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
        public void Interrupt()
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        /// <summary>Waits for the program to end and for its stdout and stderr to close (a daemon holding them would keep them open).</summary>
        public async Task<Outcome> WaitAsync()
        {
            using var timeout = new CancellationTokenSource(HangGuard);
            await process.WaitForExitAsync(timeout.Token);
            var closed = Task.WhenAll(output, error);
            if (await Task.WhenAny(closed, Task.Delay(HangGuard)) != closed)
                throw new TimeoutException($"editorbridge exited with {process.ExitCode}, but its stdout or stderr stayed open: something it started holds them");
            return new Outcome(process.ExitCode, await output, string.Join('\n', errorLines) + (errorLines.IsEmpty ? "" : "\n"));
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
