using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// The ways a hostile case reaches the daemon: the .NET client, hand-made gRPC frames over
/// HTTP/2, JSON over HTTP/1.1 with any headers, and raw bytes on a socket. Every answer becomes
/// an <see cref="Observed"/>.
/// </summary>
public sealed class HostileTarget : IDisposable
{
    public const string Service = "editorbridge.v1.EditorBridge";

    private readonly HttpClient h2 = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient h1 = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public HostileTarget(int grpcPort, int httpPort, string token, DaemonInfo info, EditorBridgeClient client)
    {
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Token = token;
        Info = info;
        Client = client;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public string Token { get; }

    public DaemonInfo Info { get; }

    public EditorBridgeClient Client { get; }

    /// <summary>How long one case may take before it counts as "no answer".</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string Authorization => "Bearer " + Token;

    /// <summary>A job through the .NET client, as the CLI and the Paint.NET plugin send it.</summary>
    public async Task<Observed> RunJobAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await Client.RunJobAsync(request, cancellationToken: cancellationToken, timeout: CaseTimeout);
            return Observed.Ok(clock.Elapsed, result);
        }
        catch (RpcException e)
        {
            return Observed.Status(e.StatusCode, e.Status.Detail, clock.Elapsed);
        }
    }

    /// <summary>A unary call through the .NET client.</summary>
    public async Task<Observed> CallAsync<T>(Func<EditorBridgeClient, Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var answer = await call(Client);
            return Observed.Ok(clock.Elapsed, answer);
        }
        catch (RpcException e)
        {
            return Observed.Status(e.StatusCode, e.Status.Detail, clock.Elapsed);
        }
    }

    /// <summary>Stores bytes with PutBlob (JSON or gRPC) and returns the blob id.</summary>
    public async Task<string> PutBlobAsync(byte[] bytes, bool json, CancellationToken cancellationToken)
    {
        if (!json)
            return (await Client.Raw.PutBlobAsync(new PutBlobRequest { Content = new Google.Api.HttpBody { Data = ByteString.CopyFrom(bytes) } }, cancellationToken: cancellationToken)).BlobId;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{HttpPort}/v1/blobs") { Content = content };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
        using var response = await h1.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PutBlob failed: {(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["blobId"]!;
    }

    /// <summary>Fetches a blob's bytes (JSON or gRPC).</summary>
    public async Task<byte[]> GetBlobAsync(string id, bool json)
    {
        if (!json)
            return (await Client.Raw.GetBlobAsync(new GetBlobRequest { BlobId = id })).Data.ToByteArray();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{HttpPort}/v1/blobs/{Uri.EscapeDataString(id)}");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
        using var response = await h1.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The gRPC length-prefixed frame around <paramref name="message"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressed = false, uint? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>
    /// A hand-made gRPC call over HTTP/2: <paramref name="body"/> is the whole request body
    /// (frames included); <paramref name="headers"/> replace the defaults (token, content type).
    /// </summary>
    public async Task<Observed> RawGrpcAsync(string method, byte[] body, IReadOnlyDictionary<string, string?>? headers = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{GrpcPort}/{Service}/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "application/grpc", ["authorization"] = Authorization, ["te"] = "trailers" };
        foreach (var (name, value) in headers ?? new Dictionary<string, string?>())
            all[name] = value;
        Apply(request, all);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CaseTimeout);
        try
        {
            using var response = await h2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = GrpcStatus(response.Headers) ?? GrpcStatus(response.TrailingHeaders);
            if (status is null)
                return Observed.Http((int)response.StatusCode, Encoding.UTF8.GetString(bytes), clock.Elapsed);
            var (code, message) = status.Value;
            if (code != StatusCode.OK)
                return Observed.Status(code, message, clock.Elapsed, (int)response.StatusCode);
            return Observed.Ok(clock.Elapsed, LastJobResult(bytes));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Observed.Closed($"no answer within {CaseTimeout.TotalSeconds:0} s", clock.Elapsed) with { Kind = "no answer" };
        }
        catch (HttpRequestException e)
        {
            return Observed.Closed(Describe(e), clock.Elapsed);
        }
        catch (IOException e)
        {
            return Observed.Closed(Describe(e), clock.Elapsed);
        }
    }

    /// <summary>
    /// A JSON/HTTP request on the HTTP/1.1 port with exactly the given headers (the token is
    /// added unless <paramref name="headers"/> names "authorization"; a null value removes a header).
    /// </summary>
    public async Task<Observed> JsonAsync(HttpMethod method, string path, byte[]? body, string? contentType = "application/json", IReadOnlyDictionary<string, string?>? headers = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{HttpPort}{path}");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = null;
        }

        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["authorization"] = Authorization };
        if (contentType is not null)
            all["content-type"] = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string?>())
            all[name] = value;
        Apply(request, all);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CaseTimeout);
        try
        {
            using var response = await h1.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return Classify((int)response.StatusCode, bytes, clock.Elapsed, response.Content.Headers.ContentType?.CharSet);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Observed.Closed($"no answer within {CaseTimeout.TotalSeconds:0} s", clock.Elapsed) with { Kind = "no answer" };
        }
        catch (HttpRequestException e)
        {
            return Observed.Closed(Describe(e), clock.Elapsed);
        }
        catch (IOException e)
        {
            return Observed.Closed(Describe(e), clock.Elapsed);
        }
    }

    /// <summary>Raw bytes on a fresh socket to <paramref name="port"/>, the answer read until the daemon closes or it is complete.</summary>
    public async Task<Observed> RawAsync(int port, byte[] bytes, CancellationToken cancellationToken = default, bool endInput = false)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CaseTimeout);
        try
        {
            var answer = await RawHttp.ExchangeAsync(port, bytes, timeout.Token, endInput);
            if (answer.Status == 0)
                return Observed.Closed(answer.Body.Length == 0 ? "closed without an HTTP answer" : $"answered {answer.Body.Length} non-HTTP bytes", clock.Elapsed);
            return Classify(answer.Status, answer.Body, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Observed.Closed($"no answer within {CaseTimeout.TotalSeconds:0} s", clock.Elapsed) with { Kind = "no answer" };
        }
        catch (IOException e)
        {
            return Observed.Closed(Describe(e), clock.Elapsed);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return Observed.Closed(e.Message, clock.Elapsed);
        }
    }

    /// <summary>
    /// Turns a JSON-side answer into an outcome: the error body's code, the last NDJSON line of a
    /// job (an error there arrives under HTTP 200), or the HTTP status alone.
    /// </summary>
    public static Observed Classify(int httpStatus, byte[] body, TimeSpan elapsed, string? charset = null)
    {
        Encoding encoding;
        try
        {
            encoding = string.IsNullOrEmpty(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        var text = encoding.GetString(body);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        JsonNode? last = null;
        try
        {
            last = lines.Length > 0 ? JsonNode.Parse(lines[^1]) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (last is JsonObject error && error["code"] is JsonValue code && code.TryGetValue<int>(out var c) && error["message"] is not null)
        {
            if (c == 0)
                return Observed.Ok(elapsed, last, httpStatus);
            return Observed.Status((StatusCode)c, (string?)error["message"] ?? "", elapsed, httpStatus);
        }

        if (httpStatus is >= 200 and < 300)
            return Observed.Ok(elapsed, last, httpStatus);
        return Observed.Http(httpStatus, text, elapsed);
    }

    private static (StatusCode Code, string Message)? GrpcStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var values))
            return null;
        var code = (StatusCode)int.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture);
        var message = headers.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.First()) : "";
        return (code, message);
    }

    private static JobResult? LastJobResult(byte[] body)
    {
        JobResult? result = null;
        for (int at = 0; at + 5 <= body.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 1));
            if (at + 5 + length > body.Length)
                break;
            try
            {
                var e = JobEvent.Parser.ParseFrom(body.AsSpan(at + 5, length));
                if (e.EventCase == JobEvent.EventOneofCase.Result)
                    result = e.Result;
            }
            catch (InvalidProtocolBufferException)
            {
                // not a job stream (another method's answer)
            }

            at += 5 + length;
        }

        return result;
    }

    /// <summary>Fills in "{token}", "{token-flipped}" (first character changed) and "{token-short}" (last one dropped).</summary>
    public string Expand(string value) => value
        .Replace("{token-flipped}", (Token[0] == 'a' ? "b" : "a") + Token[1..], StringComparison.Ordinal)
        .Replace("{token-short}", Token[..^1], StringComparison.Ordinal)
        .Replace("{token}", Token, StringComparison.Ordinal);

    private void Apply(HttpRequestMessage request, Dictionary<string, string?> headers)
    {
        foreach (var (name, raw) in headers)
        {
            if (raw is null)
                continue;
            var value = Expand(raw);
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", value);
            }
            else if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            parts.Add(x.Message);
        return string.Join(" → ", parts);
    }

    public void Dispose()
    {
        h1.Dispose();
        h2.Dispose();
    }
}
