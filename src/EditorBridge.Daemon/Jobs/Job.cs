using System.Threading.Channels;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// One job: its plan, state, cancellation and the events its client reads. Once retired (ended
/// and kept only for ListJobs) it lets go of its plan, and so of the layer's pixels.
/// </summary>
public sealed class Job : IDisposable
{
    private readonly Channel<JobUpdate> events = Channel.CreateUnbounded<JobUpdate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource cancellation = new();
    private JobPlan? plan;
    private int state = (int)JobState.Queued;

    public Job(string id, JobPlan plan, DateTimeOffset created)
    {
        Id = id;
        this.plan = plan;
        Created = created;
        Operation = plan.Operation;
        EngineName = plan.Engine.Name;
        Device = plan.Engine.Device;
        ClientLabel = plan.ClientLabel;
    }

    public string Id { get; }

    /// <summary>The validated request; only until the job is retired (<see cref="ReleasePlan"/>).</summary>
    public JobPlan Plan => plan ?? throw new InvalidOperationException($"job {Id} has ended and no longer holds its request");

    public string Operation { get; }

    public string EngineName { get; }

    public string Device { get; }

    public string ClientLabel { get; }

    /// <summary>Who submitted it: the name of the studio token that ran it, or "local" for the painter on this machine.</summary>
    public string Owner { get; init; } = "local";

    public DateTimeOffset Created { get; }

    public JobState State => (JobState)Volatile.Read(ref state);

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public int QueuePosition { get; set; } = -1;

    public double Fraction { get; set; }

    public string CancelReason { get; private set; } = "cancelled";

    public CancellationToken CancellationToken => cancellation.Token;

    public ChannelReader<JobUpdate> Events => events.Reader;

    public void Publish(JobUpdate update) => events.Writer.TryWrite(update);

    /// <summary>Moves to <paramref name="next"/> unless already finished; true when it moved.</summary>
    public bool TryTransition(JobState next)
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if ((JobState)current is JobState.Succeeded or JobState.Failed or JobState.Cancelled)
                return false;
            if (Interlocked.CompareExchange(ref state, (int)next, current) == current)
                return true;
        }
    }

    /// <summary>Publishes the last event and closes the stream.</summary>
    public void Finish(JobUpdate last)
    {
        Publish(last);
        events.Writer.TryComplete();
    }

    /// <summary>
    /// Requests cancellation. The token is cancelled at once; what listens to it (the engine, the
    /// executor that ends the job) runs on the thread pool, not inside the caller: since the executor
    /// no longer waits for the engine, ending the job inline would run the queue's bookkeeping inside
    /// CancelJob's or the queue's own lock.
    /// </summary>
    // 0 open, 1 its result is being delivered, 2 a cancellation was accepted: whichever claims
    // first wins, so an accepted cancel never meets a result afterwards.
    private int claim;

    /// <summary>True when the job may still be cancelled (no result claimed), and from then on it must not deliver one.</summary>
    public bool TryClaimCancel() =>
        Interlocked.CompareExchange(ref claim, 2, 0) is 0 or 2;

    /// <summary>True when the result may be delivered: no cancellation was accepted before.</summary>
    public bool TryClaimResult() =>
        Interlocked.CompareExchange(ref claim, 1, 0) == 0;

    public void Cancel(string reason)
    {
        CancelReason = reason;
        try
        {
            _ = cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // finished and cleaned up meanwhile: nothing left to cancel
        }
    }

    /// <summary>
    /// Drops the plan: the finished jobs ListJobs remembers must not keep their layers (fifty
    /// 512 MiB layers, or every disconnected client's upload, would stay in memory).
    /// </summary>
    public void ReleasePlan() => plan = null;

    public void Dispose() => cancellation.Dispose();
}
