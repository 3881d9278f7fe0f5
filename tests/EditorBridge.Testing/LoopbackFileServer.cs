using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EditorBridge.Testing;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 (a free port) for download tests and the download bench:
/// serves byte arrays by path with Range and If-Range support, and misbehaves on request (drops the
/// connection after some bytes, stalls, answers an error status, ignores ranges). Every request is
/// recorded with its Range header and the body bytes sent. As a forward proxy it also records
/// absolute-form requests and CONNECT tunnels (answered 502). One request per connection.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, ServedFile> files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly Task acceptLoop;
    private long bodyBytesSent;

    private LoopbackFileServer()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public static LoopbackFileServer Start() => new();

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Body bytes written to all clients so far.</summary>
    public long BodyBytesSent => Interlocked.Read(ref bodyBytesSent);

    public Uri Url(string path) => new(BaseAddress, path.TrimStart('/'));

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (e.g. "/models/a.onnx").</summary>
    public ServedFile Serve(string path, byte[] content, string? etag = "\"v1\"")
    {
        var file = new ServedFile(content, etag);
        files[path] = file;
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is not null)
                    await AnswerAsync(stream, head);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away or the server is stopping
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, RequestHead head)
    {
        var recorded = new RecordedRequest(head.Method, head.Target, head.Header("host"), head.Header("range"), head.Header("if-range"));
        requests.Enqueue(recorded);
        if (head.Method == "CONNECT")
        {
            await WriteHeadAsync(stream, 502, "Bad Gateway", 0, []);
            return;
        }

        var path = head.Target.StartsWith('/') ? head.Target : new Uri(head.Target).AbsolutePath;
        if (!files.TryGetValue(Uri.UnescapeDataString(path), out var file))
        {
            await WriteHeadAsync(stream, 404, "Not Found", 0, []);
            return;
        }

        int attempt = file.CountRequest();
        if (file.StatusFor(attempt) is int status)
        {
            await WriteHeadAsync(stream, status, "Failing On Purpose", 0, []);
            return;
        }

        await SendFileAsync(stream, head, file, attempt, recorded);
    }

    private async Task SendFileAsync(NetworkStream stream, RequestHead head, ServedFile file, int attempt, RecordedRequest recorded)
    {
        var content = file.Content;
        long? rangeStart = file.IgnoreRanges ? null : ParseRangeStart(head.Header("range"));
        bool partial = rangeStart is not null && (head.Header("if-range") is not { } ifRange || ifRange == file.ETag);
        long from = 0;
        var headers = new List<string>();
        if (file.ETag is not null)
            headers.Add($"ETag: {file.ETag}");
        headers.Add("Accept-Ranges: bytes");
        if (partial)
        {
            from = rangeStart!.Value;
            if (from >= content.Length)
            {
                await WriteHeadAsync(stream, 416, "Range Not Satisfiable", 0, [$"Content-Range: bytes */{content.Length}"]);
                return;
            }

            headers.Add($"Content-Range: bytes {from}-{content.Length - 1}/{content.Length}");
        }

        await WriteHeadAsync(stream, partial ? 206 : 200, partial ? "Partial Content" : "OK", content.Length - from, headers);
        // faults are at file offsets, so a resumed request meets the same stall (or none, once past it)
        long dropAt = file.DropAfterFor(attempt) ?? long.MaxValue;
        long stallAt = file.StallAfterFor(attempt) ?? long.MaxValue;
        for (long at = from; at < content.Length;)
        {
            if (at >= stallAt)
                await Task.Delay(Timeout.Infinite, stopping.Token);
            if (at >= dropAt)
                return; // close without the rest
            int count = (int)Math.Min(Math.Min(file.ChunkSize, content.Length - at), Math.Min(dropAt, stallAt) - at);
            await stream.WriteAsync(content.AsMemory((int)at, count), stopping.Token);
            at += count;
            recorded.AddSent(count);
            Interlocked.Add(ref bodyBytesSent, count);
            if (file.DelayPerChunk > TimeSpan.Zero)
                await Task.Delay(file.DelayPerChunk, stopping.Token);
        }
    }

    private static async Task WriteHeadAsync(NetworkStream stream, int status, string reason, long length, IEnumerable<string> headers)
    {
        var text = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Length: {length}\r\nConnection: close\r\n");
        foreach (var header in headers)
            text.Append(header).Append("\r\n");
        text.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static long? ParseRangeStart(string? range)
    {
        if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal))
            return null;
        var dash = range.IndexOf('-');
        return dash > 6 && long.TryParse(range.AsSpan(6, dash - 6), out var start) ? start : null;
    }

    private static async Task<RequestHead?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
                break;
        }

        var lines = Encoding.ASCII.GetString([.. bytes]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1].Trim());
        return new RequestHead(first[0], first.Length > 1 ? first[1] : "/", headers);
    }

    private sealed record RequestHead(string Method, string Target, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }
}
