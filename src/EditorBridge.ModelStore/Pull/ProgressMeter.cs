using System.Diagnostics;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Counts the bytes of a pull and reports them at most every <c>interval</c>, with the speed over the
/// last few seconds of fetched bytes (bytes already on disk from an earlier try do not count as speed)
/// and the time left at that speed.
/// </summary>
internal sealed class ProgressMeter(long total, IProgress<PullProgress>? progress, TimeSpan interval)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Queue<(TimeSpan At, long Fetched)> samples = new();
    private long done;
    private long fetched;
    private TimeSpan lastReport = TimeSpan.MinValue;
    private string file = "";

    public long Done => done;

    /// <summary>Starts a file; <paramref name="present"/> bytes of it are already on disk.</summary>
    public void BeginFile(string name, long present)
    {
        file = name;
        done += present;
        Report(force: true);
    }

    public void Fetched(long bytes)
    {
        done += bytes;
        fetched += bytes;
        Report(force: false);
    }

    /// <summary>A file's bytes were thrown away (restarted or corrupt).</summary>
    public void Discarded(long bytes) => done -= bytes;

    public void Report(bool force)
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
