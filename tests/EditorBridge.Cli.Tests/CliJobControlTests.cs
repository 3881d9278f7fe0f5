using EditorBridge.Protocol.V1;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>
/// Controlling jobs through the real program against a daemon with a slow engine serving
/// "restore" (it runs until cancelled): Ctrl+C, <c>jobs</c>, <c>cancel</c>.
/// </summary>
public sealed class CliJobControlTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;
    private readonly TempDirectory temp = new("clijob");

    // 100 000 steps of 10 ms: far longer than any test; only a cancel ends it.
    public async Task InitializeAsync() =>
        daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Slow("slow", steps: 100_000, stepMilliseconds: 10, operation: "restore")]);

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_job_prints_cancelled_and_exits_5()
    {
        await using var cli = CliProcess.Start(new Dictionary<string, string>(), null,
            "restore", TestPictures.PathOf("coins.png"), "-o", temp.File("o.png"), "--engine", "slow", "--state-dir", daemon.StateDirectory, "--no-start");
        await cli.WaitForErrorLineAsync("started on slow");

        cli.Interrupt();
        var run = await cli.WaitAsync();

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.Equal("editorbridge: error: cancelled", run.ErrorLines[^1]);
        Assert.DoesNotContain(run.ErrorLines, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(File.Exists(temp.File("o.png")));
        var job = Assert.Single((await daemon.Client.ListJobsAsync()).Jobs);
        await WaitForStateAsync(job.JobId, JobState.Cancelled);
    }

    [Fact]
    public async Task Jobs_lists_under_a_header_and_cancel_says_what_happened()
    {
        using var stop = new CancellationTokenSource();
        var running = Run("first", stop.Token);
        var runningId = await WaitForStateAsync(null, JobState.Running);
        var queued = Run("second", stop.Token);
        var queuedId = await WaitForStateAsync(null, JobState.Queued);

        var jobs = await Cli("jobs");
        var cancelQueued = await Cli("cancel", queuedId);
        var cancelRunning = await Cli("cancel", runningId);
        var cancelEnded = await Cli("cancel", runningId);

        Assert.True(jobs.ExitCode == 0, jobs.Error);
        var lines = jobs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["job", "operation", "engine", "state", "done", "owner", "client"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(runningId, StringComparison.Ordinal) && l.Contains(" restore ") && l.Contains(" slow ") && l.Contains(" running ") && l.Contains(" local ") && l.EndsWith("test first"));
        Assert.Contains(lines, l => l.StartsWith(queuedId, StringComparison.Ordinal) && l.Contains(" queued "));
        Assert.Equal($"{queuedId}: cancelled (it was waiting in the queue)", cancelQueued.Out.Trim());
        Assert.Equal($"{runningId}: cancelled (it was running; the engine stopped)", cancelRunning.Out.Trim());
        Assert.Equal(ExitCodes.Refused, cancelEnded.ExitCode);
        Assert.Contains("already ended", Assert.Single(cancelEnded.ErrorLines));
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        await Assert.ThrowsAnyAsync<Exception>(() => queued);
    }

    private Task Run(string label, CancellationToken cancellationToken) => daemon.Client.RunJobAsync(new JobRequest
    {
        Operation = "restore",
        Engine = "slow",
        ClientLabel = $"test {label}",
        Layer = new Image { Width = 8, Height = 8, Format = PixelFormat.Rgba8, Data = Google.Protobuf.ByteString.CopyFrom(new byte[8 * 8 * 4]) },
    }, cancellationToken: cancellationToken);

    // The id of the job (or of any job when null) once it is in this state; a hang guard only.
    private async Task<string> WaitForStateAsync(string? jobId, JobState state)
    {
        var until = DateTime.UtcNow + CliProcess.HangGuard;
        while (true)
        {
            var job = (await daemon.Client.ListJobsAsync()).Jobs.FirstOrDefault(j => (jobId is null || j.JobId == jobId) && j.State == state);
            if (job is not null)
                return job.JobId;
            Assert.True(DateTime.UtcNow < until, $"no job {jobId} reached {state}");
            await Task.Delay(20);
        }
    }

    private Task<CliProcess.Outcome> Cli(params string[] args) =>
        CliProcess.RunAsync([.. args, "--state-dir", daemon.StateDirectory, "--no-start"]);
}
