using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// Runs a session with the job's cancellation: a cancel sets the run's terminate flag, so a long
/// UNet or VAE call stops inside ONNX Runtime, and the job sees an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class GraphRun
{
    public static IDisposableReadOnlyCollection<OrtValue> Run(
        InferenceSession session, IReadOnlyList<string> inputNames, IReadOnlyList<OrtValue> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var options = new RunOptions();
        using var registration = cancellationToken.Register(() => options.Terminate = true);
        try
        {
            return session.Run(options, inputNames, inputs, outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
