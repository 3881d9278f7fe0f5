using EditorBridge.Daemon.Plugins;
using EditorBridge.Engines;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>
/// A test engine the daemon serves beside the classic one. Its answer is exact and easy to check:
/// every pixel's colour channels rotated (R←G, G←B, B←R), alpha kept, so a red/blue mix-up
/// anywhere between Paint.NET's BGRA and the wire's RGBA shows. It can hold a job open until the
/// test releases it, to test progress, previews and cancelling mid-way.
/// </summary>
public sealed class RotatingEngine : IEngine
{
    public const string Name = "rotate-test";

    private TaskCompletionSource release = NewGate();

    /// <summary>True: jobs wait in <see cref="RunAsync"/> until <see cref="Release"/> or cancellation.</summary>
    public bool Hold { get; set; }

    public int Runs;

    public int Cancelled;

    /// <summary>Completes when a held job has reported its progress and preview and is waiting.</summary>
    public TaskCompletionSource Waiting { get; private set; } = NewGate();

    public void Release() => release.TrySetResult();

    public void Reset()
    {
        release = NewGate();
        Waiting = NewGate();
        Hold = false;
    }

    public static LoadedEngine Loaded(RotatingEngine engine) => new(engine, engine.Describe(), "tests");

    public EngineDescriptor Describe() => new(
        Name,
        "1.0",
        "rotates colour channels (tests)",
        [
            new OperationDescriptor("fill", "rotate the selection", [], RequiresMask: true),
            new OperationDescriptor("colorize", "rotate, with every kind of parameter", [
                new ParameterDescriptor("strength", ParameterKind.Number, "how much", 0.5, 0, 1),
                new ParameterDescriptor("steps", ParameterKind.Integer, "how many", 20.0, 1, 50),
                new ParameterDescriptor("preset", ParameterKind.Choice, "look", "ink", Choices: ["ink", "watercolor", "flat"]),
                new ParameterDescriptor("keep_lines", ParameterKind.Boolean, "keep line art", true),
                new ParameterDescriptor("tags", ParameterKind.Text, "extra words", ""),
            ]),
            new OperationDescriptor("stylize", "rotate", [
                new ParameterDescriptor("strength", ParameterKind.Number, "how much", 0.25, 0, 1),
                new ParameterDescriptor("style_only_here", ParameterKind.Text, "engine-specific", "x"),
            ]),
        ],
        ["cpu"],
        Priority: -10);

    public async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Runs);
        var pixels = (byte[])request.Image.Pixels.Clone();
        for (int i = 0; i < pixels.Length; i += 4)
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (pixels[i + 1], pixels[i + 2], pixels[i]);
        var image = new EngineImage(request.Image.Width, request.Image.Height, pixels);
        progress.Report(new EngineProgress(1, 4, "rotating", image));
        if (Hold)
        {
            Waiting.TrySetResult();
            try
            {
                await release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref Cancelled);
                throw;
            }
        }

        progress.Report(new EngineProgress(4, 4, "rotating"));
        return new EngineOutput(image, "cpu");
    }

    public void Dispose()
    {
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
