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
    /// Cancels a run after <paramref name="afterMs"/> and returns how long the engine took to stop.
    /// Native OpenCV calls cannot be interrupted: the engine's task must end anyway.
    /// </summary>
    public static TimeSpan CancelLatency(EngineRequest request, int afterMs)
    {
        using var engine = new ClassicEngine();
        using var cancellation = new CancellationTokenSource();
        var task = engine.RunAsync(request, new Progress<EngineProgress>(), cancellation.Token);
        Thread.Sleep(afterMs);
        Assert.False(task.IsCompleted, "the run finished before it could be cancelled: give it more work");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
        return clock.Elapsed;
    }
}
