using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>
/// ONNX Runtime's process-wide environment, created with one global thread pool that every
/// session of this engine shares, and with ONNX Runtime's telemetry off. With a pool per session
/// (ORT's default) a diffusion job's four graphs each kept a pool of one thread per core spinning,
/// and the UNet's first steps after the text encoder ran 5–8× slower on a 16-core CPU.
/// <para>
/// Every use of ONNX Runtime in EditorBridge goes through here (<see cref="Env"/>,
/// <see cref="NewSessionOptions"/>, <see cref="SessionOpener"/>): ONNX Runtime creates a default
/// environment (no global pool) on the first <c>OrtEnv.Instance()</c> or <c>new SessionOptions()</c>,
/// so one such call racing the first session made sessions that ask for the shared pool fail with
/// "EnvCreatedWithGlobalThreadPools() was false". Creation here happens once, under a lock, before
/// anything else touches the runtime; a creation that fails is retried by the next caller.
/// </para>
/// </summary>
public static class OnnxRuntimeEnvironment
{
    /// <summary>The variable ONNX Runtime reads, when it creates its environment, to leave telemetry off.</summary>
    public const string TelemetryVariable = "ORT_DISABLE_TELEMETRY";

    private static readonly Lock Gate = new();
    private static volatile Created? created;

    /// <summary>
    /// Creates the environment if nothing has yet; call before any other ONNX Runtime use. True when
    /// sessions should use the shared pool (false if the environment was already made elsewhere).
    /// </summary>
    public static bool Ensure() => Get().SharedPool;

    /// <summary>The environment, created first if needed (use this, never <c>OrtEnv.Instance()</c>).</summary>
    public static OrtEnv Env => Get().Env;

    /// <summary>The execution providers this build's native runtime has.</summary>
    public static IReadOnlyList<string> AvailableProviders() => Env.GetAvailableProviders();

    /// <summary>Options for a new session of this environment: the shared thread pool when there is one.</summary>
    public static SessionOptions NewSessionOptions(GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        bool sharedPool = Ensure();
        var options = new SessionOptions { GraphOptimizationLevel = level };
        if (sharedPool)
            options.DisablePerSessionThreads();
        return options;
    }

    private sealed record Created(OrtEnv Env, bool SharedPool);

    private static Created Get()
    {
        if (created is { } done)
            return done;
        lock (Gate)
            return created ??= Create();
    }

    private static Created Create()
    {
        TelemetryOff();
        if (OrtEnv.IsCreated)
            return Made(OrtEnv.Instance(), sharedPool: false);
        using var threading = new OrtThreadingOptions { GlobalIntraOpNumThreads = Environment.ProcessorCount, GlobalInterOpNumThreads = 1 };
        var options = new EnvironmentCreationOptions
        {
            logId = "editorbridge",
            logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            threadOptions = threading,
        };
        try
        {
            return Made(OrtEnv.CreateInstanceWithOptions(ref options), sharedPool: true);
        }
        catch (OnnxRuntimeException) when (OrtEnv.IsCreated)
        {
            // made a moment ago by code that did not come through here: use it with per-session pools
            return Made(OrtEnv.Instance(), sharedPool: false);
        }
    }

    private static Created Made(OrtEnv env, bool sharedPool)
    {
        env.DisableTelemetryEvents();
        return new Created(env, sharedPool);
    }

    /// <summary>
    /// ONNX Runtime 1.31 on Linux writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ (a device id
    /// and a telemetry queue) when it creates its environment, unless ORT_DISABLE_TELEMETRY is set in
    /// the native environment then; <see cref="OrtEnv.DisableTelemetryEvents"/> afterwards is too late.
    /// .NET keeps its own copy of the environment on Unix, so the variable is set with libc's setenv.
    /// </summary>
    private static void TelemetryOff()
    {
        Environment.SetEnvironmentVariable(TelemetryVariable, "1");
        if (!OperatingSystem.IsWindows())
            _ = SetEnv(Utf8z(TelemetryVariable), Utf8z("1"), 1);
    }

    private static byte[] Utf8z(string s) => Encoding.UTF8.GetBytes(s + "\0");

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(byte[] name, byte[] value, int overwrite);
}
