using System.Buffers;
using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using EditorBridge.Daemon.Core;
using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Blobs;

/// <summary>
/// Shared-memory pixel regions for clients on the daemon's machine. The daemon makes each file
/// itself (new, owner-only, under <see cref="RegionFolder"/>), maps it once and hands out an opaque
/// id: a request names a region by that id alone, looked up here, so no client text ever becomes a
/// path. Every read and write is checked against the region's size first. Regions count against the
/// blob budget and are freed by <see cref="Release"/>, when the connection that made them closes
/// (<see cref="ReleaseOwner"/>), after the blob time limit unused, and at daemon start; never while a
/// job has them pinned.
/// </summary>
public sealed class PixelRegions(DaemonOptions options, TimeProvider time, BlobStore budget, string directory)
{
    private readonly ConcurrentDictionary<string, PixelRegion> regions = new(StringComparer.Ordinal);
    private readonly LimitsOptions limits = options.Limits;

    public string Directory => directory;

    public bool Enabled => options.SharedMemory;

    /// <summary>Regions alive now (released ones that a job still pins included).</summary>
    public int Count => regions.Count + lingering;

    private int lingering;

    /// <summary>Makes a region of <paramref name="size"/> bytes owned by the connection <paramref name="owner"/>.</summary>
    public PixelRegionInfo Create(long size, string owner)
    {
        if (!Enabled)
            throw new RequestException(DaemonError.Precondition, "", "shared memory is off on this daemon (EditorBridge:SharedMemory); send the bytes");
        if (size <= 0 || size > limits.MaxRequestBytes)
            throw RequestException.Invalid("size_bytes", $"{size}; must be 1..{limits.MaxRequestBytes} (EditorBridge:Limits:MaxRequestBytes)");
        RemoveExpired();
        budget.Reserve(size, "size_bytes");
        try
        {
            var path = Path.Combine(directory, RegionFiles.NewName());
            var id = "rgn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var now = time.GetUtcNow();
            regions[id] = MakeRegion(id, path, size, owner, now);
            return new PixelRegionInfo(id, path, size, now.AddSeconds(limits.BlobTtlSeconds));
        }
        catch (Exception e)
        {
            // whatever failed (a full disk, a folder we may no longer write in, a mapping refused),
            // the reservation goes back: a failed region holds no budget
            budget.Unreserve(size);
            if (e is IOException or UnauthorizedAccessException)
                throw new RequestException(DaemonError.Precondition, "size_bytes", $"could not make a {size}-byte region in {directory}: {e.Message}; send the bytes");
            throw;
        }
    }

    /// <summary>Test seam: runs after the region's file is made and mapped, before its view (a failure there must leave nothing behind).</summary>
    internal Action<string>? AfterMapped { get; set; }

    /// <summary>Test seam: how a freed region's file is deleted (Windows refuses while a client still has it open).</summary>
    internal Action<string> DeleteFile { get; set; } = File.Delete;

    // The file, its mapping and the region over it, or nothing: on any failure the mapping is
    // disposed and the file deleted before the exception goes on.
    private PixelRegion MakeRegion(string id, string path, long size, string owner, DateTimeOffset now)
    {
        var map = MapNew(path, size);
        try
        {
            AfterMapped?.Invoke(path);
            return new PixelRegion(id, path, size, owner, map, now);
        }
        catch
        {
            map.Dispose();
            TryDelete(path);
            throw;
        }
    }

    // CreateNew is O_CREAT|O_EXCL: it fails on anything already there, a symbolic link included.
    // The file's blocks are reserved now (fallocate): on a full disk the region is refused here, and
    // the client sends bytes, instead of a write into a sparse mapping killing its writer (SIGBUS).
    // Measured free on ext4 (docs/benchmarks.md, the stages table).
    private static MemoryMappedFile MapNew(string path, long size)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite, PreallocationSize = size };
        if (!OperatingSystem.IsWindows())
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(path, fileOptions);
        try
        {
            stream.SetLength(size);
            return MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>A copy of the bytes <paramref name="slice"/> names (checked against the region first).</summary>
    public byte[] Read(RegionSlice slice, string field)
    {
        var region = Find(slice.Id, field);
        CheckInside(region, slice.Offset, slice.Length, field);
        if (!region.TryRead(slice.Offset, slice.Length, time.GetUtcNow(), out var data))
            throw Gone(slice.Id, field);
        return data;
    }

    /// <summary>
    /// <paramref name="snapshot"/>, which <see cref="Read"/> gave for region <paramref name="id"/>, is
    /// no longer used by anything: the region's next read of that size may copy into it. Only for an
    /// array nothing can reach any more (a finished job whose engine call returned and whose result
    /// went into a region, not a blob or the wire).
    /// </summary>
    public void GiveBack(string id, byte[] snapshot)
    {
        if (regions.TryGetValue(id, out var region))
            region.GiveBack(snapshot);
    }

    /// <summary>Snapshots taken into a given-back array so far (all live regions).</summary>
    public long ReusedSnapshots => regions.Values.Sum(r => r.Reused);

    /// <summary>Lets go of every kept snapshot array (the daemon is idle).</summary>
    public void DropSpares()
    {
        foreach (var region in regions.Values)
            region.DropSpare();
    }

    /// <summary>Writes <paramref name="data"/> <paramref name="at"/> bytes into <paramref name="slice"/>; false when it does not fit or the region is gone.</summary>
    public bool TryWrite(RegionSlice slice, long at, byte[] data) =>
        Fits(slice, at, data.LongLength) is { } region && region.TryWrite(slice.Offset + at, data, time.GetUtcNow());

    /// <summary>
    /// Lets <paramref name="write"/> fill <paramref name="length"/> bytes <paramref name="at"/> bytes into
    /// <paramref name="slice"/>, straight in the mapping (checked as <see cref="TryWrite(RegionSlice, long, byte[])"/>
    /// first; <paramref name="write"/> does not run when it does not fit or the region is gone: false).
    /// </summary>
    public bool TryWrite<TState>(RegionSlice slice, long at, long length, TState state, SpanAction<byte, TState> write) =>
        length <= int.MaxValue && Fits(slice, at, length) is { } region && region.TryWrite(slice.Offset + at, (int)length, state, write, time.GetUtcNow());

    // The live region when length bytes at `at` lie inside the slice and the slice inside the region.
    private PixelRegion? Fits(RegionSlice slice, long at, long length)
    {
        if (!regions.TryGetValue(slice.Id, out var region) || at < 0 || length < 0 || length > slice.Length - at
            || slice.Offset < 0 || slice.Length < 0 || slice.Offset + slice.Length > region.Size)
            return null;
        return region;
    }

    /// <summary>Checks that <paramref name="slice"/> names a live region and lies inside it, for a result to be written there.</summary>
    public void CheckPlace(RegionSlice slice, string field) => CheckInside(Find(slice.Id, field), slice.Offset, slice.Length, field);

    /// <summary>Keeps the region until the returned pin is disposed (a job that reads or writes it).</summary>
    public IDisposable Pin(string id, string field)
    {
        var region = Find(id, field);
        if (!region.TryPin())
            throw Gone(id, field);
        return new RegionPin(this, region);
    }

    /// <summary>Frees a region (after the jobs that pin it end); false for an unknown id.</summary>
    public bool Release(string id)
    {
        if (string.IsNullOrEmpty(id) || !regions.TryRemove(id, out var region))
            return false;
        Interlocked.Increment(ref lingering);
        if (region.Release())
            Freed(region);
        return true;
    }

    /// <summary>The connection <paramref name="owner"/> closed: its regions go.</summary>
    public void ReleaseOwner(string owner)
    {
        foreach (var (id, region) in regions)
        {
            if (region.Owner == owner)
                Release(id);
        }
    }

    private void Freed(PixelRegion region)
    {
        Interlocked.Decrement(ref lingering);
        budget.Unreserve(region.Size);
        TryDelete(region.Path);
    }

    /// <summary>Files of freed regions whose delete failed, tried again on every Create and lookup.</summary>
    public int Undeleted => undeleted.Count;

    private readonly ConcurrentDictionary<string, byte> undeleted = new(StringComparer.Ordinal);

    // A client's mapping stays valid after the delete on Linux; on Windows the delete fails while a
    // client (Krita's Python, which cannot share delete access) still has the file open: it is
    // kept here and tried again later, so dead files do not pile up until the next daemon start.
    private void TryDelete(string path)
    {
        try
        {
            DeleteFile(path);
            undeleted.TryRemove(path, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            undeleted.TryAdd(path, 0);
        }
    }

    private void RemoveExpired()
    {
        foreach (var path in undeleted.Keys)
            TryDelete(path);
        var oldest = time.GetUtcNow().AddSeconds(-limits.BlobTtlSeconds);
        foreach (var (id, region) in regions)
        {
            if (region.LastUse < oldest && !region.IsPinned)
                Release(id);
        }
    }

    private PixelRegion Find(string id, string field)
    {
        if (string.IsNullOrEmpty(id))
            throw RequestException.Invalid(field, "empty region id");
        if (!IsWellFormed(id))
            throw RequestException.Invalid(field, $"'{Quoted.Short(id, 64)}' is not a region id (CreatePixelRegion gives them; they are not file names)");
        RemoveExpired();
        return regions.TryGetValue(id, out var region) ? region : throw Gone(id, field);
    }

    private RequestException Gone(string id, string field) =>
        new(DaemonError.NotFound, field, $"no pixel region '{Quoted.Short(id, 64)}' (unknown, released, or unused for {limits.BlobTtlSeconds} s)");

    private static void CheckInside(PixelRegion region, long offset, long length, string field)
    {
        if (offset < 0 || length < 0 || offset > region.Size || length > region.Size - offset)
            throw RequestException.Invalid(field, $"bytes {offset}..{offset + length} lie outside the region's {region.Size} bytes");
    }

    private static bool IsWellFormed(string id) =>
        id.Length == 28 && id.StartsWith("rgn-", StringComparison.Ordinal) && id.AsSpan(4).ContainsAnyExcept("0123456789abcdef") == false;

    private sealed class RegionPin(PixelRegions owner, PixelRegion region) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0 && region.Unpin())
                owner.Freed(region);
        }
    }
}
