using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Jobs;
using EditorBridge.Imaging;
using EditorBridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Tests;

public sealed class JobQueueTests
{
    [Fact]
    public async Task Jobs_beyond_the_concurrency_wait_and_learn_their_position()
    {
        var executor = new GateExecutor();
        using var queue = Queue(executor, concurrency: 1);
        var jobs = Enumerable.Range(0, 3).Select(i => NewJob($"j{i}")).ToList();
        jobs.ForEach(queue.Submit);

        await executor.WaitStartedAsync("j0");
        Assert.Equal([-1, 0, 1], jobs.Select(j => j.QueuePosition));
        Assert.Equal(0, FirstQueued(jobs[1])?.Position);
        Assert.Equal(1, FirstQueued(jobs[2])?.Position);

        executor.Release("j0");
        await executor.WaitStartedAsync("j1");
        Assert.Equal(0, jobs[2].QueuePosition);
        executor.Release("j1");
        executor.Release("j2");
        await executor.WaitStartedAsync("j2");
    }

    [Fact]
    public async Task Two_slots_run_two_jobs_at_once()
    {
        var executor = new GateExecutor();
        using var queue = Queue(executor, concurrency: 2);
        var a = NewJob("a");
        var b = NewJob("b");
        queue.Submit(a);
        queue.Submit(b);
        await executor.WaitStartedAsync("a");
        await executor.WaitStartedAsync("b");
        executor.Release("a");
        executor.Release("b");
    }

    [Fact]
    public async Task Cancelling_a_waiting_job_removes_it_and_moves_the_others_up()
    {
        var executor = new GateExecutor();
        using var queue = Queue(executor, concurrency: 1);
        var jobs = Enumerable.Range(0, 3).Select(i => NewJob($"j{i}")).ToList();
        jobs.ForEach(queue.Submit);
        await executor.WaitStartedAsync("j0");

        queue.Cancel(jobs[1], "test cancel");

        Assert.Equal(JobState.Cancelled, jobs[1].State);
        var events = await ReadAllAsync(jobs[1]);
        var last = Assert.IsType<JobUpdate.Failed>(events.Last());
        Assert.Equal(DaemonError.Cancelled, last.Error);
        Assert.Equal("test cancel", last.Message);
        Assert.Equal(0, jobs[2].QueuePosition);
        executor.Release("j0");
        await executor.WaitStartedAsync("j2");
        executor.Release("j2");
    }

    private static JobQueue Queue(IJobExecutor executor, int concurrency)
    {
        var options = new DaemonOptions();
        options.Limits.MaxConcurrentJobsPerDevice = concurrency;
        return new JobQueue(executor, Options.Create(options), NullLogger<JobQueue>.Instance);
    }

    private static Job NewJob(string id)
    {
        var layer = new Raster(new PixelRect(0, 0, 1, 1), Imaging.PixelFormat.Rgba8, new byte[4]);
        var plan = new JobPlan("noop", TestEngines.Echo(), layer, null, new Dictionary<string, object>(), 1, "", "", GeometrySettings.Default, ResultDelivery.Inline, "")
        {
            Canvas = CanvasParameters.None,
        };
        return new Job(id, plan, DateTimeOffset.UtcNow);
    }

    private static JobUpdate.Queued? FirstQueued(Job job) =>
        job.Events.TryPeek(out var e) ? e as JobUpdate.Queued : null;

    private static async Task<List<JobUpdate>> ReadAllAsync(Job job)
    {
        var list = new List<JobUpdate>();
        await foreach (var e in job.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(5000).Token))
            list.Add(e);
        return list;
    }

    /// <summary>An executor whose jobs run until the test releases them.</summary>
    private sealed class GateExecutor : IJobExecutor
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> started = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> release = new();

        public async Task ExecuteAsync(Job job)
        {
            job.TryTransition(JobState.Running);
            Gate(started, job.Id).TrySetResult();
            await Gate(release, job.Id).Task;
            job.TryTransition(JobState.Succeeded);
            var layer = job.Plan.Layer;
            var provenance = new JobProvenance("noop", "echo", "", "", "", 1, new Dictionary<string, object>(), GeometrySettings.Default, "cpu", 0, 0, 0);
            job.Finish(new JobUpdate.Succeeded(new JobResult(layer, null, null, null, provenance)));
        }

        public Task WaitStartedAsync(string id) => Gate(started, id).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Release(string id) => Gate(release, id).TrySetResult();

        private static TaskCompletionSource Gate(System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> gates, string id) =>
            gates.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
