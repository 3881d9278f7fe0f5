using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>
/// Opens a model with the first execution provider that works, in the order asked (DirectML →
/// CUDA → CPU by default), falling back when a provider is not in this build's native runtime
/// or fails to start (no driver, no device), and records why each one was passed over.
/// </summary>
public static class SessionOpener
{
    public static OpenedSession Open(string modelPath, IReadOnlyList<ExecutionProvider> order, Action<SessionOptions>? configure = null)
    {
        var available = OnnxRuntimeEnvironment.AvailableProviders();
        var attempts = new List<ProviderAttempt>();
        foreach (var provider in order)
        {
            if (!available.Contains(NativeName(provider)))
            {
                attempts.Add(new ProviderAttempt(provider, false, "not in this build's ONNX Runtime"));
                continue;
            }

            SessionOptions? options = null;
            try
            {
                options = Options(provider, configure);
                var session = new InferenceSession(modelPath, options);
                attempts.Add(new ProviderAttempt(provider, true));
                return new OpenedSession(session, provider, attempts);
            }
            catch (Exception e) when (provider != ExecutionProvider.Cpu && e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                attempts.Add(new ProviderAttempt(provider, false, e.Message.Split('\n')[0]));
            }
            finally
            {
                options?.Dispose();
            }
        }

        throw new InvalidOperationException($"no execution provider could open {Path.GetFileName(modelPath)}: " +
            string.Join("; ", attempts.Select(a => $"{a.Provider}: {a.Reason}")));
    }

    /// <summary>
    /// Opens a graph on the CPU with optimisations off, to read its inputs and outputs (model checks):
    /// quick, and through the shared environment like every other session.
    /// </summary>
    public static InferenceSession Inspect(string modelPath)
    {
        using var options = OnnxRuntimeEnvironment.NewSessionOptions(GraphOptimizationLevel.ORT_DISABLE_ALL);
        return new InferenceSession(modelPath, options);
    }

    /// <summary>Opens a model held in memory (a converted graph) on the CPU, through the shared environment.</summary>
    public static InferenceSession OpenCpu(byte[] model)
    {
        using var options = OnnxRuntimeEnvironment.NewSessionOptions();
        return new InferenceSession(model, options);
    }

    internal static string NativeName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        ExecutionProvider.DirectML => "DmlExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    private static SessionOptions Options(ExecutionProvider provider, Action<SessionOptions>? configure)
    {
        var options = OnnxRuntimeEnvironment.NewSessionOptions();
        configure?.Invoke(options);
        switch (provider)
        {
            case ExecutionProvider.Cuda:
                options.AppendExecutionProvider_CUDA(0);
                break;
            case ExecutionProvider.DirectML:
                // DirectML needs these (ONNX Runtime's DirectML documentation).
                options.EnableMemoryPattern = false;
                options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                options.AppendExecutionProvider_DML(0);
                break;
        }

        return options;
    }
}
