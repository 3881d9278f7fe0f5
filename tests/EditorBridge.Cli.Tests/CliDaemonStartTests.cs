using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>Commands that start a daemon of their own, through the real program, each with a private state folder.</summary>
public sealed class CliDaemonStartTests : IDisposable
{
    private readonly TempDirectory temp = new("clistart");

    public void Dispose() => temp.Dispose();

    private Dictionary<string, string> PrivateModels() => new() { ["EDITORBRIDGE_MODELS_DIR"] = temp.File("models") };

    [Fact]
    public async Task A_command_that_starts_the_daemon_leaves_its_callers_pipe_and_the_daemon_logs_to_its_file()
    {
        var state = StatePaths.ForCurrentUser(temp.File("state"));
        using var started = new AutoStartedDaemon(state.StateDirectory);
        // as `editorbridge info | wc -l`: the run ends only when stdout and stderr close (hang guard otherwise)
        var run = await CliProcess.RunAsync(PrivateModels(), "info", "--state-dir", state.StateDirectory);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("EditorBridge", run.Out);
        var discovery = DiscoveryInfo.TryRead(state.DiscoveryFile);
        Assert.NotNull(discovery);
        Assert.True(discovery.ProcessIsAlive(), "the started daemon runs on");
        Assert.Contains($"(pid {discovery.Pid})", File.ReadAllText(state.LogFile));
    }

    [Fact]
    public async Task A_daemon_with_no_models_installed_answers_info_without_loading_ONNX_Runtime()
    {
        // ONNX Runtime (about 8 MB resident per engine that loads it, and a thread pool each) loads on
        // first use, so an idle daemon on a fresh install does not carry it (docs/benchmarks.md)
        var state = StatePaths.ForCurrentUser(temp.File("state"));
        using var started = new AutoStartedDaemon(state.StateDirectory);
        var run = await CliProcess.RunAsync(PrivateModels(), "info", "--state-dir", state.StateDirectory);

        Assert.True(run.ExitCode == 0, run.Error);
        var discovery = DiscoveryInfo.TryRead(state.DiscoveryFile);
        Assert.NotNull(discovery);
        var maps = File.ReadAllText($"/proc/{discovery.Pid}/maps");
        Assert.DoesNotContain("libonnxruntime", maps);
    }

    [Fact]
    public async Task Demo_writes_to_the_temporary_folder_by_default_and_says_where()
    {
        Directory.CreateDirectory(temp.File("cwd"));
        Directory.CreateDirectory(temp.File("tmp"));
        var environment = PrivateModels();
        environment["TMPDIR"] = temp.File("tmp");
        using var started = new AutoStartedDaemon(temp.File("state"));
        await using var demo = CliProcess.Start(environment, temp.File("cwd"), "demo", "--state-dir", temp.File("state"));
        var run = await demo.WaitAsync();

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains($"result: {Path.Combine(temp.File("tmp"), "editorbridge-demo", "astronaut-filled.png")}", run.Out);
        Assert.True(File.Exists(Path.Combine(temp.File("tmp"), "editorbridge-demo", "astronaut-filled.png")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.File("cwd")));
    }
}
