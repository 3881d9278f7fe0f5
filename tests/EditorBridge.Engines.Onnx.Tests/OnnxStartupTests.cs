using System.Diagnostics;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>
/// ONNX Runtime's environment is made once, with the shared thread pool, before any session, even when
/// a fresh process's first ONNX Runtime calls come from many threads at once by different paths (a job's
/// session, a model check on import, the provider list); and ONNX Runtime's telemetry stays off. Each run
/// is a new process (EditorBridge.OnnxStartup), because the environment is made once per process: before
/// the fix, a model check that made its own session options made ONNX Runtime's default environment while the
/// first session asked for the shared pool, and 26 of 50 runs failed with
/// "EnvCreatedWithGlobalThreadPools() was false" (docs/architecture.md, engines are plugins).
/// </summary>
public sealed class OnnxStartupTests
{
    private const int Runs = 50;

    [Fact]
    public async Task Many_threads_opening_sessions_in_a_fresh_process_succeed_50_times_in_a_row_and_write_no_telemetry()
    {
        using var temp = new TempDirectory("ort-start");
        var models = temp.File("esrgan");
        TinyEsrgan.Write(models);
        // two processes at a time: each is still a fresh process, and the runs take half as long
        var next = 0;
        var outcomes = new (int Code, string Output, bool Telemetry)[Runs];
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            int run;
            while ((run = Interlocked.Increment(ref next) - 1) < Runs)
            {
                var home = Directory.CreateDirectory(temp.File($"home-{run}")).FullName;
                var (code, output) = await RunAsync(models, home);
                outcomes[run] = (code, output, Directory.Exists(Path.Combine(home, ".cache", "Microsoft", "DeveloperTools", ".onnxruntime")));
            }
        }));

        for (int run = 0; run < Runs; run++)
        {
            Assert.True(outcomes[run].Code == 0, $"run {run + 1} of {Runs} exited {outcomes[run].Code}:\n{outcomes[run].Output}");
            Assert.False(outcomes[run].Telemetry, $"run {run + 1}: ONNX Runtime wrote ~/.cache/Microsoft/DeveloperTools/.onnxruntime");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string models, string home)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EditorBridge.OnnxStartup.dll"));
        start.ArgumentList.Add(models);
        start.ArgumentList.Add("12");
        start.Environment["HOME"] = home;
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        start.Environment.Remove(Inference.OnnxRuntimeEnvironment.TelemetryVariable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // a hang guard only
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
