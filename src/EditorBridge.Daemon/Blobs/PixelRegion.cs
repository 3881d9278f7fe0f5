using System.Buffers;
using System.IO.MemoryMappedFiles;
using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Blobs;

/// <summary>
/// One mapping the daemon made: its own file (created new, owner-only), mapped once and read and
/// written only through that mapping, never reopened by path. Reads and writes copy under a lock,
/// so a release never unmaps under a copy; once freed, PixelRegions removes its file (a client's
/// mapping of it stays valid until the client unmaps it).
/// </summary>
internal sealed class PixelRegion
{
    private readonly object gate = new();
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private int pins;
    private byte[]? spare;
    private bool released;
    private bool freed;

    public PixelRegion(string id, string path, long size, string owner, MemoryMappedFile file, DateTimeOffset now)
    {
        Id = id;
        Path = path;
        Size = size;
        Owner = owner;
        this.file = file;
        view = file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        LastUse = now;
    }

    public string Id { get; }

    public string Path { get; }

    public long Size { get; }

    /// <summary>The connection that made it (empty: none; freed when that connection closes).</summary>
    public string Owner { get; }

    public DateTimeOffset LastUse { get; private set; }

    public bool IsPinned
    {
        get
        {
            lock (gate)
                return pins > 0;
        }
    }

    /// <summary>Snapshots taken into an array a finished job gave back (<see cref="GiveBack"/>).</summary>
    public long Reused { get; private set; }

    /// <summary>
    /// A copy of the bytes (the daemon's own snapshot: a client writing on cannot change a job's
    /// input); false once released. It goes into the array the last job gave back when that is the
    /// same size: a fresh 64 MiB array costs several times the copy in page faults.
    /// </summary>
    public bool TryRead(long offset, long length, DateTimeOffset now, out byte[] data)
    {
        lock (gate)
        {
            data = [];
            if (released)
                return false;
            if (spare is { } kept && kept.LongLength == length)
            {
                data = kept;
                spare = null;
                Reused++;
            }
            else
                data = GC.AllocateUninitializedArray<byte>(checked((int)length));
            Copy(offset, data, toMapping: false);
            LastUse = now;
            return true;
        }
    }

    /// <summary>
    /// Keeps <paramref name="snapshot"/>, an array <see cref="TryRead"/> gave that nothing uses any
    /// more, for the next read of its size (one at a time; none once released or dropped).
    /// </summary>
    public void GiveBack(byte[] snapshot)
    {
        lock (gate)
        {
            if (!released)
                spare = snapshot;
        }
    }

    /// <summary>Lets go of a kept array (the daemon is idle: its memory goes back to the system).</summary>
    public void DropSpare()
    {
        lock (gate)
            spare = null;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> (a memmove into the mapping); false once released.</summary>
    public bool TryWrite(long offset, byte[] data, DateTimeOffset now)
    {
        lock (gate)
        {
            if (released)
                return false;
            Copy(offset, data, toMapping: true);
            LastUse = now;
            return true;
        }
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill <paramref name="length"/> bytes at <paramref name="offset"/>
    /// in the mapping itself (a conversion's output goes there without an array in between); false
    /// once released. Under the lock, as every copy: the mapping stays while it runs.
    /// </summary>
    public bool TryWrite<TState>(long offset, int length, TState state, SpanAction<byte, TState> write, DateTimeOffset now)
    {
        lock (gate)
        {
            if (released)
                return false;
            MappedViewCopy.Write(view, offset, length, state, write);
            LastUse = now;
            return true;
        }
    }

    private void Copy(long offset, byte[] data, bool toMapping) =>
        MappedViewCopy.Copy(view, offset, data, 0, data.Length, toMapping);

    /// <summary>A job uses it until the returned pin is disposed: it is not freed before.</summary>
    public bool TryPin()
    {
        lock (gate)
        {
            if (released)
                return false;
            pins++;
            return true;
        }
    }

    /// <summary>Ends a pin; true when that freed a region released meanwhile.</summary>
    public bool Unpin()
    {
        lock (gate)
        {
            pins--;
            return FreeIfDone();
        }
    }

    /// <summary>No new use from now on; the mapping goes when the last pin ends. True when freed now.</summary>
    public bool Release()
    {
        lock (gate)
        {
            released = true;
            return FreeIfDone();
        }
    }

    private bool FreeIfDone()
    {
        if (!released || pins > 0 || freed)
            return false;
        freed = true;
        spare = null;
        view.Dispose();
        file.Dispose();
        return true; // PixelRegions deletes the file (and tries again while it cannot)
    }
}
