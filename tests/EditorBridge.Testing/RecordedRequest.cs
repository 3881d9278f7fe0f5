namespace EditorBridge.Testing;

/// <summary>One request <see cref="LoopbackFileServer"/> received: method, target (origin or absolute form), Host, Range and If-Range, and the body bytes it was sent.</summary>
public sealed class RecordedRequest(string method, string target, string? host, string? range, string? ifRange)
{
    private long bytesSent;

    public string Method { get; } = method;

    public string Target { get; } = target;

    public string? Host { get; } = host;

    public string? Range { get; } = range;

    public string? IfRange { get; } = ifRange;

    public long BytesSent => Interlocked.Read(ref bytesSent);

    internal void AddSent(long count) => Interlocked.Add(ref bytesSent, count);

    public override string ToString() => $"{Method} {Target} range={Range ?? "-"} sent={BytesSent}";
}
