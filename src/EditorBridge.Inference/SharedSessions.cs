using System.Collections.Concurrent;

namespace EditorBridge.Inference;

/// <summary>
/// Sessions shared between jobs: opened lazily on first use, kept while in use, and released
/// (memory and GPU memory back) once unused for the idle time. Thread-safe.
/// </summary>
public sealed class SharedSessions : IDisposable
{
    private readonly IReadOnlyList<ExecutionProvider> order;
    private readonly TimeSpan idleRelease;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ITimer sweeper;
    private volatile bool disposed;

    public SharedSessions(IReadOnlyList<ExecutionProvider> order, TimeSpan idleRelease, TimeProvider? time = null)
    {
        this.order = order;
        this.idleRelease = idleRelease;
        this.time = time ?? TimeProvider.System;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, idleRelease.Ticks / 4));
        sweeper = this.time.CreateTimer(_ => ReleaseIdle(), null, period, period);
    }

    /// <summary>Models open now (for reports and tests).</summary>
    public int OpenCount => entries.Values.Count(e => e.IsOpen);

    /// <summary>Whether <paramref name="modelPath"/>'s session is open now (memory estimates count only what still has to load).</summary>
    public bool IsOpen(string modelPath) => entries.TryGetValue(Path.GetFullPath(modelPath), out var entry) && entry.IsOpen;

    /// <summary>The session for <paramref name="modelPath"/>, opening it if needed; dispose the lease when the job is done.</summary>
    public SessionLease Acquire(string modelPath)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var entry = entries.GetOrAdd(Path.GetFullPath(modelPath), path => new Entry(path));
        return entry.Lease(order, time);
    }

    /// <summary>Closes every session nobody uses that has been idle at least the idle time.</summary>
    public void ReleaseIdle()
    {
        var now = time.GetUtcNow();
        foreach (var entry in entries.Values)
            entry.CloseIfIdle(now - idleRelease);
    }

    public void Dispose()
    {
        disposed = true;
        sweeper.Dispose();
        foreach (var entry in entries.Values)
            entry.Close();
    }

    internal sealed class Entry(string path)
    {
        private readonly Lock gate = new();
        private OpenedSession? session;
        private int users;
        private DateTimeOffset lastUsed;

        public bool IsOpen
        {
            get
            {
                lock (gate)
                    return session is not null;
            }
        }

        public SessionLease Lease(IReadOnlyList<ExecutionProvider> order, TimeProvider time)
        {
            lock (gate)
            {
                session ??= SessionOpener.Open(path, order);
                users++;
                return new SessionLease(session, () => Return(time));
            }
        }

        public void CloseIfIdle(DateTimeOffset idleSince)
        {
            lock (gate)
            {
                if (users == 0 && lastUsed <= idleSince)
                    Close();
            }
        }

        public void Close()
        {
            lock (gate)
            {
                session?.Dispose();
                session = null;
            }
        }

        private void Return(TimeProvider time)
        {
            lock (gate)
            {
                users--;
                lastUsed = time.GetUtcNow();
            }
        }
    }
}
