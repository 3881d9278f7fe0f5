using EditorBridge.Engines;
using static EditorBridge.Stress.Faults.FaultOperations;

namespace EditorBridge.Stress.Faults;

/// <summary>
/// An engine plugin that misbehaves on request (the operations of <see cref="FaultOperations"/>).
/// Test runs only: the reliability harness points the daemon's extra engines folder
/// (<c>EDITORBRIDGE_ExtraEnginesDirectory</c>) at <c>test-engines/</c>, where its build lands, and
/// the daemon loads it like any engine. It runs on the "cpu" device, the lane the classic engine
/// uses, so a fault that held its lane would stall real work.
/// </summary>
public sealed class FaultEngine : IEngine
{
    public EngineDescriptor Describe() => new(
        Name, "1.0.0", "Misbehaves on purpose, for reliability runs",
        [
            new OperationDescriptor(Slow, "wait, checking cancellation",
                [
                    new ParameterDescriptor("steps", ParameterKind.Integer, "steps", 20.0, 1, 100_000),
                    new ParameterDescriptor("step_ms", ParameterKind.Integer, "milliseconds per step", 10.0, 0, 1000),
                ]),
            new OperationDescriptor(Throw, "throws", []),
            new OperationDescriptor(Hang, "never returns, ignores cancellation", []),
            new OperationDescriptor(WrongSize, "answers 1x1 pixels", []),
            new OperationDescriptor(Scribble, "writes into its input", [], RequiresMask: true),
            new OperationDescriptor(Echo, "returns its input", []),
        ],
        ["cpu"]);

    public async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        switch (request.Operation)
        {
            case Slow:
                int steps = request.Integer("steps"), ms = request.Integer("step_ms");
                for (int step = 0; step < steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ms > 0)
                        await Task.Delay(ms, cancellationToken);
                    progress.Report(new EngineProgress(step + 1, steps, "waiting"));
                }

                return new EngineOutput(request.Image, "cpu");
            case Throw:
                throw new InvalidOperationException("the fault engine broke on purpose");
            case Hang:
                await new TaskCompletionSource().Task; // never completes; the token is ignored on purpose
                throw new System.Diagnostics.UnreachableException();
            case WrongSize:
                return new EngineOutput(new EngineImage(1, 1, new byte[4]), "cpu");
            case Scribble:
                var pixels = request.Image.Pixels;
                for (int i = 0; i < pixels.Length; i++)
                    pixels[i] ^= 0xA5;
                return new EngineOutput(request.Image, "cpu");
            default:
                return new EngineOutput(request.Image, "cpu");
        }
    }

    public void Dispose()
    {
    }
}
