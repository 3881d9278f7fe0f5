using System.Collections.Concurrent;
using System.Security.Cryptography;
using EditorBridge.Daemon.Core;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Blobs;

/// <summary>
/// Raw byte blobs for JSON clients (uploaded layers and masks, delivered results), kept in
/// memory for a limited time and within a byte budget.
/// </summary>
public sealed class BlobStore(IOptions<DaemonOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> blobs = new();
    private readonly LimitsOptions limits = options.Value.Limits;
    private long used;

    public long UsedBytes => Interlocked.Read(ref used);

    public (string Id, DateTimeOffset Expires) Put(byte[] data)
    {
        RemoveExpired();
        if (Interlocked.Add(ref used, data.LongLength) > limits.BlobBudgetBytes)
        {
            Interlocked.Add(ref used, -data.LongLength);
            throw new RequestException(DaemonError.OverLimit, "content",
                $"blob store is full ({UsedBytes} of {limits.BlobBudgetBytes} bytes, EditorBridge:Limits:BlobBudgetBytes); fetch results or wait {limits.BlobTtlSeconds} s for old blobs to expire");
        }

        var id = "blob-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var expires = time.GetUtcNow().AddSeconds(limits.BlobTtlSeconds);
        blobs[id] = new Entry(data, expires);
        return (id, expires);
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

    private sealed record Entry(byte[] Data, DateTimeOffset Expires);
}
