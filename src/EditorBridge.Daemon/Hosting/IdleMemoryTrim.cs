using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Jobs;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// Gives memory back once the daemon is idle: when no job is queued or running and something has
/// happened since the last time (a job ran, blobs came or went), it waits a few seconds more, then
/// runs one compacting collection that returns the freed managed heap to the system
/// (<see cref="GCCollectionMode.Aggressive"/>, which also trims the runtime's array pools) and asks
/// glibc to return free native heap (OpenCV and ONNX Runtime buffers). Without this a daemon that
/// had run 20 fills held 418 MiB long after them (129 MiB at start). A second trim follows after
/// <see cref="Settled"/> of quiet: connections and server buffers let go of their memory later than
/// the jobs (the idle daemon's memory after one trim varied by 20 MB between runs; docs/benchmarks.md).
/// Pixel regions' kept input arrays (<see cref="PixelRegions.GiveBack"/>) are let go first.
/// </summary>
public sealed class IdleMemoryTrim(JobQueue queue, BlobStore blobs, PixelRegions regions, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    /// <summary>How long the daemon must have been idle before memory is trimmed.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    /// <summary>Idle time after which memory is trimmed once more.</summary>
    public static readonly TimeSpan Settled = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string trimmedAt = Activity();
        string seen = trimmedAt;
        int quietTicks = 0;
        int settledTicks = (int)(Settled / Quiet);
        using var timer = new PeriodicTimer(Quiet);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Activity();
                bool busy = queue.Snapshot().Any(j => j.State is JobState.Queued or JobState.Running);
                // trim when idle, something changed since the last trim, and nothing changed for a whole tick
                if (!busy && now != trimmedAt && now == seen)
                {
                    Trim();
                    trimmedAt = now;
                    quietTicks = 0;
                }
                else if (!busy && now == trimmedAt && ++quietTicks == settledTicks)
                {
                    Trim(); // once more, when the daemon has been quiet for a while
                }

                seen = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the daemon is stopping
        }
    }

    // what the daemon has done, in a form that changes whenever a job or a blob comes or goes
    private string Activity() =>
        string.Join(',', queue.Snapshot().Select(j => $"{j.Id}:{j.State}")) + "|" + blobs.UsedBytes;

    private void Trim()
    {
        long before = Environment.WorkingSet;
        regions.DropSpares(); // the input arrays kept for a region's next job
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();

        logger.LogDebug("idle: memory trimmed, working set {Before} → {After} bytes", before, Environment.WorkingSet);
    }
}
