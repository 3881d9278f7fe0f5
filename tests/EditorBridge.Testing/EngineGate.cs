using EditorBridge.Daemon.Plugins;
using EditorBridge.Engines;

namespace EditorBridge.Testing;

/// <summary>
/// A real engine, passed through unchanged, that a test can stop at a step of its next job: with
/// <see cref="HoldNextJobAt"/> armed, the engine's next run reports as usual, and once it reports
/// the chosen step its thread waits in that report until the job's cancellation token is
/// cancelled. A test that cancels a job "mid-steps" thus knows the engine is mid-steps, whatever
/// the machine's load, instead of hoping the job is still running when its cancel arrives.
/// Every report the engine makes and how its own run ended are recorded (the daemon ends a
/// cancelled job at once, even if the engine runs on: the engine's own end is what says whether it
/// stopped).
/// </summary>
public sealed class EngineGate(IEngine inner) : IEngine
{
    private EngineHold? armed;

    /// <summary>
    /// Holds the engine's next job once it reports a step matching <paramref name="when"/>, until
    /// that job is cancelled (or <paramref name="hangGuard"/> passes: the engine then goes on, and
    /// the test sees it did not stop).
    /// </summary>
    public EngineHold HoldNextJobAt(Func<EngineProgress, bool> when, TimeSpan? hangGuard = null)
    {
        var hold = new EngineHold(when, hangGuard ?? TimeSpan.FromMinutes(2));
        if (Interlocked.CompareExchange(ref armed, hold, null) is not null)
            throw new InvalidOperationException("a hold is armed already");
        return hold;
    }

    /// <summary>Wraps the engine named <paramref name="name"/> of <paramref name="engines"/> in a gate.</summary>
    public static (IReadOnlyList<LoadedEngine> Engines, EngineGate Gate) Around(IReadOnlyList<LoadedEngine> engines, string name)
    {
        var target = engines.Single(e => e.Name == name);
        var gate = new EngineGate(target.Engine);
        return ([.. engines.Select(e => e == target ? e with { Engine = gate } : e)], gate);
    }

    public void Configure(EngineEnvironment environment) => inner.Configure(environment);

    public EngineDescriptor Describe() => inner.Describe();

    public IReadOnlyList<string> CheckModel(string directory, string kind) => inner.CheckModel(directory, kind);

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var hold = Interlocked.Exchange(ref armed, null);
        return hold is null ? inner.RunAsync(request, progress, cancellationToken) : hold.RunAsync(inner, request, progress, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>One armed hold of an <see cref="EngineGate"/>: what the held job's engine reported, where it waited, how it ended.</summary>
public sealed class EngineHold
{
    private readonly Func<EngineProgress, bool> when;
    private readonly TimeSpan hangGuard;
    private readonly List<EngineProgress> reports = [];
    private readonly TaskCompletionSource<EngineProgress> reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool held;

    internal EngineHold(Func<EngineProgress, bool> when, TimeSpan hangGuard)
    {
        this.when = when;
        this.hangGuard = hangGuard;
    }

    /// <summary>Completes with the report the engine is held at (its thread waits in it until the job is cancelled).</summary>
    public Task<EngineProgress> Reached => reached.Task;

    /// <summary>Completes when the engine's own run ended: null when it returned a result, else what it threw.</summary>
    public Task<Exception?> EngineEnded => ended.Task;

    /// <summary>Every report the engine made in the held job, in order (none are dropped, unlike the daemon's throttled events).</summary>
    public IReadOnlyList<EngineProgress> Reports
    {
        get
        {
            lock (reports)
                return [.. reports];
        }
    }

    internal async Task<EngineOutput> RunAsync(IEngine engine, EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            var output = await engine.RunAsync(request, new Held(this, progress, cancellationToken), cancellationToken);
            ended.TrySetResult(null);
            return output;
        }
        catch (Exception e)
        {
            ended.TrySetResult(e);
            throw;
        }
        finally
        {
            // a run that never reached the step: the test waiting for it learns so at once
            reached.TrySetException(new InvalidOperationException("the engine's run ended before it reported the step to hold at"));
        }
    }

    private void Report(EngineProgress value, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        lock (reports)
            reports.Add(value);
        progress.Report(value);
        if (held || !when(value))
            return;
        held = true;
        reached.TrySetResult(value);
        // the engine's own thread waits here, in its report, until the job is cancelled
        cancellationToken.WaitHandle.WaitOne(hangGuard);
    }

    private sealed class Held(EngineHold hold, IProgress<EngineProgress> progress, CancellationToken cancellationToken) : IProgress<EngineProgress>
    {
        public void Report(EngineProgress value) => hold.Report(value, progress, cancellationToken);
    }
}
