namespace EditorBridge.Testing;

/// <summary>
/// A file <see cref="LoopbackFileServer"/> serves and how it misbehaves. Faults apply to the first
/// <c>times</c> requests for the file (counted from 1), so a retry or a later pull can succeed.
/// </summary>
public sealed class ServedFile(byte[] content, string? etag)
{
    private int requestCount;
    private (long Bytes, int Times)? drop;
    private (long Bytes, int Times)? stall;
    private (int Status, int Times)? failing;

    public byte[] Content { get; } = content;

    public string? ETag { get; } = etag;

    public int Requests => Volatile.Read(ref requestCount);

    /// <summary>Answers 200 with the whole file whatever Range says (a server without range support).</summary>
    public bool IgnoreRanges { get; set; }

    public int ChunkSize { get; set; } = 64 * 1024;

    /// <summary>Pause after each chunk (a slow server).</summary>
    public TimeSpan DelayPerChunk { get; set; }

    /// <summary>The connection closes when the body reaches file offset <paramref name="bytes"/>.</summary>
    public ServedFile DropAfter(long bytes, int times = 1)
    {
        drop = (bytes, times);
        return this;
    }

    /// <summary>Sends the body up to file offset <paramref name="bytes"/>, then nothing more (the connection stays open).</summary>
    public ServedFile StallAfter(long bytes, int times = int.MaxValue)
    {
        stall = (bytes, times);
        return this;
    }

    /// <summary>Answers <paramref name="status"/> with no body.</summary>
    public ServedFile FailWith(int status, int times = int.MaxValue)
    {
        failing = (status, times);
        return this;
    }

    internal int CountRequest() => Interlocked.Increment(ref requestCount);

    internal long? DropAfterFor(int attempt) => drop is { } d && attempt <= d.Times ? d.Bytes : null;

    internal long? StallAfterFor(int attempt) => stall is { } s && attempt <= s.Times ? s.Bytes : null;

    internal int? StatusFor(int attempt) => failing is { } f && attempt <= f.Times ? f.Status : null;
}
