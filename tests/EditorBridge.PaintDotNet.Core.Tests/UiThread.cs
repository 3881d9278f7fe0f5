using System.Collections.Concurrent;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>
/// A stand-in for Paint.NET's UI thread: one thread pumping a queue, with a synchronization
/// context that posts to it, as a WinForms message loop does. Tests run the dialog's view-model
/// on it and check that it stays free while jobs run.
/// </summary>
public sealed class UiThread : IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> queue = new();
    private readonly Thread thread;

    public UiThread()
    {
        var ready = new ManualResetEventSlim();
        thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new Context(this));
            ready.Set();
            foreach (var (callback, state) in queue.GetConsumingEnumerable())
                callback(state);
        })
        { IsBackground = true, Name = "model UI thread" };
        thread.Start();
        ready.Wait();
    }

    public int ThreadId => thread.ManagedThreadId;

    public bool IsCurrent => Environment.CurrentManagedThreadId == thread.ManagedThreadId;

    /// <summary>Runs <paramref name="action"/> on the UI thread; completes when it has (and, for async work, finished).</summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add((async _ =>
        {
            try
            {
                done.SetResult(await action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, null));
        return done.Task;
    }

    public Task InvokeAsync(Func<Task> action) => InvokeAsync(async () =>
    {
        await action();
        return true;
    });

    public Task<T> Invoke<T>(Func<T> action) => InvokeAsync(() => Task.FromResult(action()));

    public void Dispose() => queue.CompleteAdding();

    private sealed class Context(UiThread owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => owner.queue.Add((d, state));

        public override void Send(SendOrPostCallback d, object? state) => throw new InvalidOperationException("Send would block the UI thread");

        public override SynchronizationContext CreateCopy() => this;
    }
}
