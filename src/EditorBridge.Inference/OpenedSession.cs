using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>An ONNX Runtime session with the provider that really runs it and every provider tried before it.</summary>
public sealed class OpenedSession(InferenceSession session, ExecutionProvider provider, IReadOnlyList<ProviderAttempt> attempts) : IDisposable
{
    public InferenceSession Session { get; } = session;

    public ExecutionProvider Provider { get; } = provider;

    public IReadOnlyList<ProviderAttempt> Attempts { get; } = attempts;

    public string Device => ProviderOrder.DeviceName(Provider);

    /// <summary>One line for logs and job reports, e.g. "cpu (cuda: not in this build)".</summary>
    public string Report =>
        Attempts.Any(a => !a.Succeeded)
            ? $"{Device} ({string.Join("; ", Attempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider.ToString().ToLowerInvariant()}: {a.Reason}"))})"
            : Device;

    public void Dispose() => Session.Dispose();
}
