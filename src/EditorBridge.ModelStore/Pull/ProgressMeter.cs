using System.Diagnostics;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Counts the bytes of a pull and reports them at most every <c>interval</c>, with the speed over the
/// last few seconds of fetched bytes (bytes already on disk from an earlier try do not count as speed)
/// and the time left at that speed. Thread-safe: a heartbeat reports from a timer while a stalled
/// connection brings nothing, so the speed is seen falling.
/// </summary>
internal sealed class ProgressMeter(long total, IProgress<PullProgress>? progress, TimeSpan interval)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Queue<(TimeSpan At, long Fetched)> samples = new();
    private long done;
    private long fetched;
    private TimeSpan lastReport = TimeSpan.MinValue;
    private string file = "";

    public long Done
    {
        get
        {
            lock (gate)
                return done;
        }
    }

    /// <summary>Starts a file; <paramref name="present"/> bytes of it are already on disk.</summary>
    public void BeginFile(string name, long present)
    {
        lock (gate)
        {
            file = name;
            done += present;
            ReportLocked(force: true);
        }
    }

    public void Fetched(long bytes)
    {
        lock (gate)
        {
            done += bytes;
            fetched += bytes;
            ReportLocked(force: false);
        }
    }

    /// <summary>A file's bytes were thrown away (restarted or corrupt).</summary>
    public void Discarded(long bytes)
    {
        lock (gate)
            done -= bytes;
    }

    public void Report(bool force)
    {
        lock (gate)
            ReportLocked(force);
    }

    private void ReportLocked(bool force)
    {
        var now = clock.Elapsed;
        if (!force && now - lastReport < interval)
            return;
        lastReport = now;
        samples.Enqueue((now, fetched));
        while (samples.Count > 2 && now - samples.Peek().At > Window)
            samples.Dequeue();
        var (since, before) = samples.Peek();
        double seconds = (now - since).TotalSeconds;
        double speed = seconds > 0.05 ? (fetched - before) / seconds : 0;
        double? left = speed > 0 ? Math.Max(0, total - done) / speed : null;
        progress?.Report(new PullProgress(file, done, total, speed, left));
    }
}
