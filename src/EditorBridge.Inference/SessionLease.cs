using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference;

/// <summary>A job's hold on a shared session; the session stays open at least until every lease is disposed.</summary>
public sealed class SessionLease(OpenedSession opened, Action release) : IDisposable
{
    private int disposed;

    public InferenceSession Session => opened.Session;

    public ExecutionProvider Provider => opened.Provider;

    public string Device => opened.Device;

    public string Report => opened.Report;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
            release();
    }
}
