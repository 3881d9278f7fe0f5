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
        bool sharedPool = OnnxRuntimeEnvironment.Ensure();
        var available = OrtEnv.Instance().GetAvailableProviders();
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
                options = Options(provider, configure, sharedPool);
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

    internal static string NativeName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        ExecutionProvider.DirectML => "DmlExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    private static SessionOptions Options(ExecutionProvider provider, Action<SessionOptions>? configure, bool sharedPool)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (sharedPool)
            options.DisablePerSessionThreads();
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
