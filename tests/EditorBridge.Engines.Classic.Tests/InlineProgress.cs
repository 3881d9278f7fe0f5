namespace EditorBridge.Engines.Classic.Tests;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, at once (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
