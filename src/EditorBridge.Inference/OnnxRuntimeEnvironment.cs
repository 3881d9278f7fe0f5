using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>
/// ONNX Runtime's process-wide environment, created with one global thread pool that every
/// session of this engine shares. With a pool per session (ORT's default) a diffusion job's four
/// graphs each kept a pool of one thread per core spinning, and the UNet's first steps after the
/// text encoder ran 5–8× slower on a 16-core CPU (20–35 ms instead of 4 ms per call).
/// </summary>
public static class OnnxRuntimeEnvironment
{
    private static readonly Lazy<bool> GlobalPool = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Creates the environment if nothing has yet; call before any other ONNX Runtime use. True when
    /// sessions should use the shared pool (false if the environment was already made elsewhere).
    /// </summary>
    public static bool Ensure() => GlobalPool.Value;

    private static bool Create()
    {
        if (OrtEnv.IsCreated)
            return false;
        using var threading = new OrtThreadingOptions { GlobalIntraOpNumThreads = Environment.ProcessorCount, GlobalInterOpNumThreads = 1 };
        var options = new EnvironmentCreationOptions
        {
            logId = "editorbridge",
            logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            threadOptions = threading,
        };
        OrtEnv.CreateInstanceWithOptions(ref options);
        return true;
    }
}
