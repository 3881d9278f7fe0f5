using EditorBridge.Engines;

namespace EditorBridge.Daemon.Jobs;

/// <summary>Turns engine progress into job events, at most ~20 per second plus the last step.</summary>
public sealed class JobProgressReporter(Job job) : IProgress<EngineProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private DateTime last = DateTime.MinValue;

    public void Report(EngineProgress value)
    {
        var now = DateTime.UtcNow;
        bool final = value.Step >= value.Total;
        if (!final && value.Preview is null && now - last < Interval)
            return;
        last = now;
        job.Fraction = value.Fraction;
        job.Publish(new JobUpdate.Progress(value.Step, value.Total, value.Fraction, value.Stage ?? ""));
        if (value.Preview is { } preview)
            job.Publish(new JobUpdate.Preview(Previews.Of(preview)));
    }
}
