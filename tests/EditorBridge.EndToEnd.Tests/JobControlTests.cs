using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>Queueing, cancelling, disconnecting, deadlines and misbehaving engines, on the real daemon.</summary>
public sealed class JobControlTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;
    private EngineGate classic = null!;

    public async Task InitializeAsync() => (daemon, classic) = await RunningDaemon.StartGatedAsync("classic",
        extraEngines: [TestEngines.Slow(), TestEngines.Slow("glacial", steps: 6000, operation: "crawl"), TestEngines.Throwing(), TestEngines.WrongSize(), TestEngines.Echo()]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private static JobRequest Job(string operation)
    {
        var picture = TestPictures.Load("camera.png").Crop(0, 0, 64, 64);
        return new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Mask = WireRequests.Rectangle(10, 10, 20, 20) };
    }

    [Fact]
    public async Task CancelJob_stops_a_running_exemplar_fill()
    {
        var picture = TestPictures.Load("grass.png");
        var request = WireRequests.Fill(picture, WireRequests.Rectangle(100, 100, 300, 300), "exemplar");
        // the engine is held in its first report of work done until the cancel reaches it: the cancel
        // lands mid-fill whatever the machine's load (a fill left to run can end first on a fast machine)
        var hold = classic.HoldNextJobAt(p => p.Stage == "exemplar" && p.Step > 0 && p.Step < p.Total);
        var run = daemon.Client.RunJobAsync(request);
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        var jobId = (await daemon.Client.ListJobsAsync()).Jobs.Single(j => j.State == JobState.Running).JobId;

        var answer = await daemon.Client.CancelJobAsync(jobId);
        // a hang guard only: the time a cancel takes is in the benchmark (tests/EditorBridge.Bench)
        var e = await Assert.ThrowsAsync<RpcException>(() => run.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.Contains("cancelled by CancelJob", e.Status.Detail);
        Assert.Equal(JobState.Running, answer.State);
        await WaitForStateAsync(jobId, JobState.Cancelled);
        Assert.IsAssignableFrom<OperationCanceledException>(await hold.EngineEnded.WaitAsync(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task A_client_that_goes_away_takes_its_job_with_it()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = daemon.Client.RunJobAsync(Job("crawl"), new Progress(e =>
        {
            if (e.EventCase == JobEvent.EventOneofCase.Started)
                started.TrySetResult(e.JobId);
        }), cts.Token);
        var jobId = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        cts.Cancel();

        await Assert.ThrowsAnyAsync<Exception>(() => run);
        await WaitForStateAsync(jobId, JobState.Cancelled);
    }

    [Fact]
    public async Task A_JSON_client_that_hangs_up_takes_its_job_with_it()
    {
        var picture = TestPictures.Load("camera.png").Crop(0, 0, 16, 16);
        var body = new System.Text.Json.Nodes.JsonObject
        {
            // a job that outlasts any delay in noticing the hang-up
            ["operation"] = "crawl",
            ["layer"] = new System.Text.Json.Nodes.JsonObject
            {
                ["width"] = 16, ["height"] = 16, ["format"] = "PIXEL_FORMAT_RGBA8", ["data"] = Convert.ToBase64String(picture.Rgba),
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await daemon.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string jobId = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            var e = System.Text.Json.Nodes.JsonNode.Parse(line)!;
            if (e["started"] is not null)
            {
                jobId = (string)e["jobId"]!;
                break;
            }
        }

        response.Dispose();

        Assert.StartsWith("job-", jobId);
        await WaitForStateAsync(jobId, JobState.Cancelled);
    }

    [Fact]
    public async Task A_deadline_is_honoured()
    {
        // connect first: a deadline that passes while the channel is still connecting reads as Unavailable
        await daemon.Client.GetInfoAsync();
        var before = (await daemon.Client.ListJobsAsync()).Jobs.Select(j => j.JobId).ToHashSet();
        // a job of a minute: it can only end before the guard below by being cancelled
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(Job("crawl"), timeout: TimeSpan.FromMilliseconds(500)));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        // the call's own job (not an earlier test's); on a busy machine the deadline can pass before the
        // daemon made one, and then there is nothing to cancel
        var made = (await daemon.Client.ListJobsAsync()).Jobs.Where(j => !before.Contains(j.JobId)).ToList();
        Assert.True(made.Count <= 1, $"one call made {made.Count} jobs");
        foreach (var job in made)
            await WaitForStateAsync(job.JobId, JobState.Cancelled);
    }

    [Fact]
    public async Task Jobs_on_one_device_wait_their_turn_and_hear_their_position()
    {
        var positions = new List<int>[3];
        var runs = Enumerable.Range(0, 3).Select(i =>
        {
            positions[i] = [];
            var list = positions[i];
            return daemon.Client.RunJobAsync(Job("busy"), new Progress(e =>
            {
                if (e.EventCase == JobEvent.EventOneofCase.Queued)
                    lock (list)
                        list.Add(e.Queued.Position);
            }));
        }).ToList();

        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Equal("slow", r.Provenance.Engine));
        var waited = positions.Where(p => p.Count > 0).ToList();
        Assert.True(waited.Count >= 2, "with one slot, at least two of three jobs must wait");
        Assert.Contains(waited, p => p.SequenceEqual([1, 0]));
        Assert.True(results.Max(r => r.Provenance.Timings.QueuedMs) > 1000, "the last job waited for two others");
    }

    [Fact]
    public async Task A_whole_layer_operation_returns_the_whole_layer_at_its_offset()
    {
        var picture = TestPictures.Load("rocket.jpg");
        var request = new JobRequest { Operation = "noop", Layer = WireRequests.Layer(picture, offsetX: -7, offsetY: 3) };

        var layer = (await daemon.Client.RunJobAsync(request)).Layer;

        Assert.Equal((-7, 3, picture.Width, picture.Height), (layer.OffsetX, layer.OffsetY, layer.Width, layer.Height));
        Assert.Equal(picture.Rgba, layer.Data.ToByteArray());
    }

    [Fact]
    public async Task An_engine_that_throws_fails_its_job_only()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(Job("explode")));
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Contains("engine 'throwing' failed: InvalidOperationException: the test engine broke on purpose", e.Status.Detail);
        Assert.Equal("echo", (await daemon.Client.RunJobAsync(Job("noop"))).Provenance.Engine);
    }

    [Fact]
    public async Task An_engine_answering_the_wrong_size_fails_its_job_with_a_clear_message()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(Job("shrink")));
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Contains("returned 1x1 pixels for a", e.Status.Detail);
        Assert.NotEmpty((await daemon.Client.GetInfoAsync()).Engines);
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_failed_precondition()
    {
        var result = new TaskCompletionSource<string>();
        await daemon.Client.RunJobAsync(Job("noop"), new Progress(e => result.TrySetResult(e.JobId)));
        var jobId = await result.Task;
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.CancelJobAsync(jobId));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("already ended (Succeeded)", e.Status.Detail);
    }

    private async Task WaitForStateAsync(string jobId, JobState state)
    {
        var until = DateTime.UtcNow.AddSeconds(120); // a hang guard: returns as soon as the state is reached
        JobState last = JobState.Unspecified;
        while (DateTime.UtcNow < until)
        {
            var jobs = await daemon.Client.ListJobsAsync();
            last = jobs.Jobs.Single(j => j.JobId == jobId).State;
            if (last == state)
                return;
            await Task.Delay(20);
        }

        Assert.Fail($"job {jobId} is {last}, expected {state}");
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
