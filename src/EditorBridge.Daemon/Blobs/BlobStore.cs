using System.Collections.Concurrent;
using System.Security.Cryptography;
using EditorBridge.Daemon.Core;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Blobs;

/// <summary>
/// Raw byte blobs for JSON clients (uploaded layers and masks, delivered results), kept in
/// memory within a byte budget. A delivered result is freed once its client has fetched it; the
/// blobs a job request names are freed when the job ends if the request asks so
/// (<c>release_blobs</c>); the time limit is only the backstop for blobs nobody comes back for.
/// </summary>
public sealed class BlobStore(IOptions<DaemonOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> blobs = new();
    private readonly LimitsOptions limits = options.Value.Limits;
    private long used;

    public long UsedBytes => Interlocked.Read(ref used);

    /// <summary>Stores bytes; <paramref name="freeOnFetch"/>: a result, freed by its first <see cref="Fetch"/>.</summary>
    public (string Id, DateTimeOffset Expires) Put(byte[] data, bool freeOnFetch = false)
    {
        RemoveExpired();
        Reserve(data.LongLength, "content");
        var id = "blob-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var expires = time.GetUtcNow().AddSeconds(limits.BlobTtlSeconds);
        blobs[id] = new Entry(data, expires, freeOnFetch);
        return (id, expires);
    }

    /// <summary>
    /// Counts <paramref name="bytes"/> against the budget (blobs and pixel regions share it);
    /// RESOURCE_EXHAUSTED on <paramref name="field"/> when it is spent. <see cref="Unreserve"/> gives them back.
    /// </summary>
    public void Reserve(long bytes, string field)
    {
        if (Interlocked.Add(ref used, bytes) > limits.BlobBudgetBytes)
        {
            Interlocked.Add(ref used, -bytes);
            throw new RequestException(DaemonError.OverLimit, field,
                $"blob store is full ({UsedBytes} of {limits.BlobBudgetBytes} bytes with pixel regions, EditorBridge:Limits:BlobBudgetBytes); fetch results, release regions or wait {limits.BlobTtlSeconds} s for old blobs to expire");
        }
    }

    public void Unreserve(long bytes) => Interlocked.Add(ref used, -bytes);

    /// <summary>A blob's bytes for its client (GetBlob): a delivered result leaves the store with it.</summary>
    public byte[] Fetch(string id, string field)
    {
        var data = Get(id, field);
        if (blobs.TryGetValue(id, out var entry) && entry.FreeOnFetch)
            Release(id);
        return data;
    }

    /// <summary>Frees a blob now (a job that named it ended and its request asked so); unknown ids are ignored.</summary>
    public void Release(string id)
    {
        if (!string.IsNullOrEmpty(id) && blobs.TryRemove(id, out var entry))
            Interlocked.Add(ref used, -entry.Data.LongLength);
    }

    public byte[] Get(string id, string field)
    {
        if (string.IsNullOrEmpty(id))
            throw RequestException.Invalid(field, "empty blob id");
        if (!blobs.TryGetValue(id, out var entry) || entry.Expires < time.GetUtcNow())
            throw new RequestException(DaemonError.NotFound, field, $"no blob '{Truncate(id)}' (unknown or expired after {limits.BlobTtlSeconds} s)");
        return entry.Data;
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in blobs)
        {
            if (entry.Expires < now && blobs.TryRemove(id, out _))
                Interlocked.Add(ref used, -entry.Data.LongLength);
        }
    }

    private static string Truncate(string id) => Quoted.Short(id, 64);

    private sealed record Entry(byte[] Data, DateTimeOffset Expires, bool FreeOnFetch);
}
