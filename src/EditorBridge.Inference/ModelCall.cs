using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>
/// One <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// with its inputs disposed as soon as it returns and cancellation that stops ONNX Runtime mid-run
/// (RunOptions.Terminate). The caller disposes the outputs.
/// </summary>
public static class ModelCall
{
    public static IDisposableReadOnlyCollection<OrtValue> Run(
        InferenceSession session,
        IReadOnlyList<(string Name, OrtValue Value)> inputs,
        IReadOnlyList<string> outputs,
        CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var options = new RunOptions();
            using var stop = cancellationToken.Register(() => options.Terminate = true);
            try
            {
                return session.Run(options, inputs.Select(i => i.Name).ToArray(), inputs.Select(i => i.Value).ToArray(), outputs.ToArray());
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            foreach (var (_, value) in inputs)
                value.Dispose();
        }
    }
}
