using EditorBridge.Daemon.Plugins;
using EditorBridge.Engines;

namespace EditorBridge.Testing;

/// <summary>
/// Engines that behave in known ways, served in-process beside the real plugins: a slow one
/// (for queue, cancel and deadline tests), one that throws, one that answers the wrong size,
/// a no-op one for transport benchmarks and one that changes known channels.
/// </summary>
public static class TestEngines
{
    public static LoadedEngine Slow(string name = "slow", int steps = 100, int stepMilliseconds = 10, string operation = "busy") =>
        Wrap(new DelegateEngine(name, operation, async (request, progress, ct) =>
        {
            for (int step = 0; step < steps; step++)
            {
                ct.ThrowIfCancellationRequested();
                await Task.Delay(stepMilliseconds, ct);
                progress.Report(new EngineProgress(step + 1, steps, "working"));
            }

            return new EngineOutput(request.Image, "cpu");
        }));

    public static LoadedEngine Throwing() =>
        Wrap(new DelegateEngine("throwing", "explode", (_, _, _) => throw new InvalidOperationException("the test engine broke on purpose")));

    public static LoadedEngine WrongSize() =>
        Wrap(new DelegateEngine("wrongsize", "shrink", (request, _, _) =>
            Task.FromResult(new EngineOutput(new EngineImage(1, 1, new byte[4]), "cpu"))));

    /// <summary>Returns the work image untouched: the daemon's own cost with no engine work.</summary>
    public static LoadedEngine Echo() =>
        Wrap(new DelegateEngine("echo", "noop", (request, _, _) => Task.FromResult(new EngineOutput(request.Image, "cpu")), requiresMask: false));

    /// <summary>
    /// Answers a copy of the work image with every seventh channel changed (XOR 0x40): a whole-layer
    /// job whose changed and unchanged channels can both be checked (16-bit layers: widened, kept).
    /// </summary>
    public static LoadedEngine Tweak() =>
        Wrap(new DelegateEngine("tweak", "tweak", (request, _, _) =>
        {
            var pixels = (byte[])request.Image.Pixels.Clone();
            for (int i = 0; i < pixels.Length; i += 7)
                pixels[i] ^= 0x40;
            return Task.FromResult(new EngineOutput(new EngineImage(request.Image.Width, request.Image.Height, pixels), "cpu"));
        }));

    public static LoadedEngine Wrap(IEngine engine) => new(engine, engine.Describe(), "in-process test engine");

    private sealed class DelegateEngine(string name, string operation, Func<EngineRequest, IProgress<EngineProgress>, CancellationToken, Task<EngineOutput>> run, bool requiresMask = false) : IEngine
    {
        public EngineDescriptor Describe() => new(
            name, "1.0.0", "test engine",
            [new OperationDescriptor(operation, "test operation", [new ParameterDescriptor("level", ParameterKind.Number, "a number", 1.0, 0, 10)], requiresMask)],
            [$"test-{name}"]);

        public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
            run(request, progress, cancellationToken);

        public void Dispose()
        {
        }
    }
}
