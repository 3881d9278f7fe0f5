using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>Collects progress reports on the reporting thread (Progress&lt;T&gt; would post them later), with an optional hook.</summary>
internal sealed class SynchronousProgress(Action<PullProgress>? onReport = null) : IProgress<PullProgress>
{
    private readonly List<PullProgress> reports = [];

    public IReadOnlyList<PullProgress> Reports
    {
        get
        {
            lock (reports)
                return [.. reports];
        }
    }

    public void Report(PullProgress value)
    {
        lock (reports)
            reports.Add(value);
        onReport?.Invoke(value);
    }
}
