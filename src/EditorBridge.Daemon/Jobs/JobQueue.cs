using EditorBridge.Daemon.Core;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// Runs jobs with a concurrency limit per device (default one), first come first served,
/// telling waiting jobs their position whenever it changes. Keeps the most recent finished
/// jobs for ListJobs.
/// </summary>
public sealed class JobQueue(IJobExecutor executor, IOptions<DaemonOptions> options, ILogger<JobQueue> logger) : IDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private readonly Queue<Job> finished = new();
    private readonly int concurrency = Math.Max(1, options.Value.Limits.MaxConcurrentJobsPerDevice);
    private readonly int finishedKept = Math.Max(0, options.Value.FinishedJobsKept);

    public void Submit(Job job)
    {
        lock (gate)
        {
            jobs[job.Id] = job;
            var lane = LaneFor(job);
            lane.Waiting.Add(job);
            Pump(lane);
        }
    }

    public Job? Find(string id)
    {
        lock (gate)
            return jobs.GetValueOrDefault(id);
    }

    public IReadOnlyList<Job> Snapshot()
    {
        lock (gate)
            return jobs.Values.OrderBy(j => j.Created).ToList();
    }

    /// <summary>Cancels a job (a waiting one leaves the queue at once); false when it is already delivering its result (too late to cancel).</summary>
    public bool Cancel(Job job, string reason)
    {
        if (!job.TryClaimCancel())
            return false;
        job.Cancel(reason);
        lock (gate)
        {
            var lane = LaneFor(job);
            if (lane.Waiting.Remove(job))
            {
                job.TryTransition(JobState.Cancelled);
                job.Finish(new JobUpdate.Failed(DaemonError.Cancelled, reason));
                Retire(job);
                Pump(lane);
            }
        }

        return true;
    }

    private Lane LaneFor(Job job)
    {
        var device = job.Device;
        if (!lanes.TryGetValue(device, out var lane))
            lanes[device] = lane = new Lane();
        return lane;
    }

    // Called under the lock: starts what fits, then tells the rest where they stand.
    private void Pump(Lane lane)
    {
        while (lane.Running < concurrency && lane.Waiting.Count > 0)
        {
            var job = lane.Waiting[0];
            lane.Waiting.RemoveAt(0);
            lane.Running++;
            job.QueuePosition = -1;
            _ = RunAsync(job, lane);
        }

        for (int i = 0; i < lane.Waiting.Count; i++)
        {
            var job = lane.Waiting[i];
            if (job.QueuePosition == i)
                continue;
            job.QueuePosition = i;
            job.Publish(new JobUpdate.Queued(i));
        }
    }

    private async Task RunAsync(Job job, Lane lane)
    {
        try
        {
            await Task.Yield();
            await executor.ExecuteAsync(job);
        }
        catch (Exception e)
        {
            logger.LogError(e, "job {Job} escaped its executor", job.Id);
        }
        finally
        {
            lock (gate)
            {
                lane.Running--;
                Retire(job);
                Pump(lane);
            }
        }
    }

    private void Retire(Job job)
    {
        job.ReleasePlan();
        finished.Enqueue(job);
        while (finished.Count > finishedKept)
        {
            var old = finished.Dequeue();
            jobs.Remove(old.Id);
            old.Dispose();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var job in jobs.Values)
                job.Cancel("the daemon is shutting down");
        }
    }

    private sealed class Lane
    {
        public List<Job> Waiting { get; } = [];

        public int Running { get; set; }
    }
}
