using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

/// <summary>Runs the classic engine the way the daemon does: every declared parameter bound, defaults filled in.</summary>
internal static class EngineRun
{
    public static EngineRequest Request(string operation, RgbaPicture picture, byte[]? mask = null, Dictionary<string, object>? parameters = null, Dictionary<string, RgbaPicture>? inputs = null, ulong seed = 1)
    {
        using var engine = new ClassicEngine();
        var descriptor = engine.Describe().Operations.Single(o => o.Name == operation);
        var bound = descriptor.Parameters.ToDictionary(p => p.Name, p => p.Default);
        foreach (var (name, value) in parameters ?? [])
        {
            Assert.True(bound.ContainsKey(name), $"'{operation}' has no parameter '{name}'");
            bound[name] = value is int i ? (double)i : value;
        }

        return new EngineRequest(operation, Image(picture), mask is null ? null : new EngineMask(picture.Width, picture.Height, mask), bound, seed, "", "")
        {
            Inputs = (inputs ?? []).ToDictionary(i => i.Key, i => Image(i.Value)),
        };
    }

    public static EngineOutput Run(EngineRequest request, CancellationToken cancellationToken = default)
    {
        using var engine = new ClassicEngine();
        return engine.RunAsync(request, new Progress<EngineProgress>(), cancellationToken).GetAwaiter().GetResult();
    }

    public static EngineOutput Run(string operation, RgbaPicture picture, byte[]? mask = null, Dictionary<string, object>? parameters = null, Dictionary<string, RgbaPicture>? inputs = null) =>
        Run(Request(operation, picture, mask, parameters, inputs));

    public static EngineImage Image(RgbaPicture picture) => new(picture.Width, picture.Height, picture.Rgba);

    /// <summary>The engine's refusal, checked to name <paramref name="field"/>.</summary>
    public static EngineInputException Refusal(string field, string operation, RgbaPicture picture, byte[]? mask = null, Dictionary<string, object>? parameters = null, Dictionary<string, RgbaPicture>? inputs = null)
    {
        var e = Assert.Throws<EngineInputException>(() => Run(operation, picture, mask, parameters, inputs));
        Assert.Equal(field, e.Field);
        return e;
    }

    /// <summary>
    /// Runs <paramref name="request"/> and cancels it from inside the progress report that
    /// <paramref name="cancelAt"/> picks, on the engine's own thread: where the cancel lands is decided
    /// by the work done, not by a clock, so a busy machine cannot move it. The run must end cancelled
    /// (a two-minute hang guard); returns how many progress reports, units of work, came after the cancel.
    /// The time a cancel takes is measured by the benchmark (tests/EditorBridge.Bench, "timings").
    /// </summary>
    public static int ReportsAfterCancel(EngineRequest request, Func<EngineProgress, bool>? cancelAt = null)
    {
        using var engine = new ClassicEngine();
        using var cancellation = new CancellationTokenSource();
        int after = 0;
        var progress = new InlineProgress<EngineProgress>(p =>
        {
            if (cancellation.IsCancellationRequested)
                Interlocked.Increment(ref after);
            else if (cancelAt?.Invoke(p) ?? true)
                cancellation.Cancel();
        });
        var task = engine.RunAsync(request, progress, cancellation.Token);
        Assert.ThrowsAny<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult());
        Assert.True(cancellation.IsCancellationRequested, "the run ended cancelled without reaching the cancel point");
        return Volatile.Read(ref after);
    }
}
