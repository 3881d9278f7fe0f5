using System.Diagnostics;
using EditorBridge.Engines;

namespace EditorBridge.Daemon.Plugins;

/// <summary>What happened when one engine was tried on the test picture.</summary>
public enum SmokeOutcome
{
    Passed,
    Failed,
    NotTested,
}

/// <summary>One engine's smoke test: the operation that ran (empty when none), what happened, how long it took.</summary>
public sealed record SmokeResult(LoadedEngine Engine, SmokeOutcome Outcome, string Operation, string Message, TimeSpan Elapsed);

/// <summary>
/// Runs every loaded engine once, in this process, on a 16×16 test picture: a fill of a 4×4 hole
/// with the operation's default parameters, for engines that fill without a model. This proves
/// that the engine's native libraries load and run where the daemon runs (what <c>doctor</c>
/// asks through CheckEngines). Engines whose operations all need a model are not run: a
/// model-backed fill can take minutes on a CPU.
/// </summary>
public static class EngineSmokeTest
{
    public const string Operation = "fill";

    public const int Side = 16;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<SmokeResult>> RunAsync(IEnumerable<LoadedEngine> engines, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var results = new List<SmokeResult>();
        foreach (var engine in engines)
            results.Add(await RunAsync(engine, timeout, cancellationToken));
        return results;
    }

    public static async Task<SmokeResult> RunAsync(LoadedEngine engine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var fill = engine.Operation(Operation);
        if (fill is null || fill.Models.Count > 0)
        {
            var why = engine.Descriptor.Operations.Count == 0
                ? "offers operations once a model for it is installed"
                : fill is null
                    ? $"offers {string.Join(", ", engine.Descriptor.Operations.Select(o => o.Name))}: only a fill without a model is tried, so nothing was run"
                    : "its fill needs a model (a model-backed fill can take minutes on a CPU), so nothing was run";
            return new SmokeResult(engine, SmokeOutcome.NotTested, "", why, TimeSpan.Zero);
        }

        var (pixels, hole) = TestPicture();
        var parameters = fill.Parameters.ToDictionary(p => p.Name, p => p.Default);
        var request = new EngineRequest(Operation, new EngineImage(Side, Side, pixels), new EngineMask(Side, Side, hole), parameters, 1, "", "");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            // Off the request thread; an engine that ignores its token is abandoned after the timeout.
            var run = Task.Run(() => engine.Engine.RunAsync(request, new Progress<EngineProgress>(), limit.Token), limit.Token);
            var output = await run.WaitAsync(timeout, cancellationToken);
            clock.Stop();
            return output.Image.Width == Side && output.Image.Height == Side
                ? new SmokeResult(engine, SmokeOutcome.Passed, Operation, $"filled a {Side}x{Side} test picture on {output.Device}", clock.Elapsed)
                : new SmokeResult(engine, SmokeOutcome.Failed, Operation, $"answered {output.Image.Width}x{output.Image.Height} pixels for a {Side}x{Side} test picture", clock.Elapsed);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            clock.Stop();
            var message = e is TimeoutException or OperationCanceledException
                ? $"did not fill a {Side}x{Side} test picture within {timeout.TotalSeconds:0} s"
                : $"{e.GetType().Name}: {Innermost(e).Message}";
            return new SmokeResult(engine, SmokeOutcome.Failed, Operation, message, clock.Elapsed);
        }
    }

    // A native library that does not load shows as TypeInitializationException around DllNotFoundException: say the inner one.
    private static Exception Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner == e ? e : new InvalidOperationException($"{e.Message} ({inner.GetType().Name}: {inner.Message})");
    }

    private static (byte[] Pixels, byte[] Hole) TestPicture() => (
        Enumerable.Range(0, Side * Side * 4).Select(i => (byte)(i * 7)).ToArray(),
        Enumerable.Range(0, Side * Side).Select(i => (byte)(i % Side is >= 6 and < 10 && i / Side is >= 6 and < 10 ? 255 : 0)).ToArray());
}
