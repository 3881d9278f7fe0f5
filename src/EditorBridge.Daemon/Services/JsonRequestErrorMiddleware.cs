using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Security;
using EditorBridge.Daemon.Wire;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Services;

/// <summary>
/// JSON transcoding refuses a body it cannot read with a message that names no field
/// ("Request JSON payload is not correctly formatted.", or Kestrel's "Reading the request body
/// timed out due to data arriving too slowly"). For the routes that take a body, this middleware
/// holds back a 400 answer that carries no field violation and names the field: for JSON bodies
/// (routes with body "*") it keeps a copy of the body (up to <see cref="MaxExplainedBytes"/>) and
/// says what <see cref="JsonRequestDiagnosis"/> finds (the field and what is wrong, as a BadRequest
/// detail); failing that, and for raw bodies (PutBlob), it prefixes the message with
/// "request body:". Other answers pass through untouched and unbuffered (job streams flush line
/// by line as before).
/// </summary>
public sealed class JsonRequestErrorMiddleware(RequestDelegate next, IOptions<DaemonOptions> options)
{
    /// <summary>Bodies up to this size are kept for the explanation (pixels travel as blobs, not JSON).</summary>
    public const long MaxExplainedBytes = 4 << 20;

    // quotes and non-ASCII text stay readable; the answer is application/json, never HTML
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly long maxRequestBytes = options.Value.Limits.MaxRequestBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (RequestGuardMiddleware.IsGrpc(request) || string.IsNullOrEmpty(metadata?.HttpRule.Body))
        {
            await next(context);
            return;
        }

        bool kept = metadata.HttpRule.Body == "*" && request.ContentLength is { } length && length <= Math.Min(MaxExplainedBytes, maxRequestBytes);
        if (kept)
            request.EnableBuffering(bufferThreshold: (int)MaxExplainedBytes, bufferLimit: MaxExplainedBytes);
        var response = context.Response;
        var original = response.Body;
        var holder = new ErrorHoldingStream(original, response);
        response.Body = holder;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        if (holder.Held is not { } held)
            return;
        // the transcoder ends its answer with a newline byte, whatever the charset
        var text = Charset(response.ContentType).GetString(held.AsSpan().TrimEnd((byte)'\n'));
        var replacement = await ExplainAsync(request, kept, metadata.MethodDescriptor.InputType, text);
        if (replacement is not null)
        {
            response.ContentLength = null;
            response.ContentType = "application/json; charset=utf-8";
        }

        await original.WriteAsync(replacement ?? held, context.RequestAborted);
    }

    /// <summary>The encoding a Content-Type names (JSON transcoding answers in the request's charset); UTF-8 by default.</summary>
    private static Encoding Charset(string? contentType)
    {
        try
        {
            var charset = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType).CharSet;
            return string.IsNullOrEmpty(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private static async Task<byte[]?> ExplainAsync(HttpRequest request, bool kept, Google.Protobuf.Reflection.MessageDescriptor input, string held)
    {
        JsonObject? error;
        try
        {
            error = JsonNode.Parse(held) as JsonObject;
        }
        catch (JsonException)
        {
            return null; // not the transcoder's error shape: leave it
        }

        if (error?["message"] is not JsonValue messageValue || error["details"] is JsonArray { Count: > 0 })
            return null;
        var message = (string?)messageValue ?? "";
        (string Field, string Problem)? found = null;
        if (kept)
        {
            try
            {
                request.Body.Position = 0;
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy);
                var body = copy.ToArray();
                var charset = Charset(request.ContentType);
                if (charset.CodePage != Encoding.UTF8.CodePage)
                    body = Encoding.UTF8.GetBytes(charset.GetString(body)); // transcoding reads other charsets the same way
                found = JsonRequestDiagnosis.Explain(body, input);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or BadHttpRequestException)
            {
                // the body could not be read again: explain with what the transcoder said
            }
        }

        var (field, problem) = found ?? (JsonRequestDiagnosis.BodyField, message);
        var text = $"{field}: {problem}";
        var details = new JsonArray(new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
            ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = text }),
        });
        var answer = new JsonObject { ["code"] = error["code"]?.DeepClone(), ["message"] = text, ["details"] = details };
        return Encoding.UTF8.GetBytes(answer.ToJsonString(Readable) + "\n");
    }

    /// <summary>Passes writes through, except a 400 answer's body, which it keeps (up to 64 KiB) until the end.</summary>
    private sealed class ErrorHoldingStream(Stream inner, HttpResponse response) : Stream
    {
        private const int MaxHeld = 64 * 1024;
        private MemoryStream? held;
        private bool decided;

        public byte[]? Held => held?.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!decided)
            {
                decided = true;
                if (response.StatusCode == StatusCodes.Status400BadRequest)
                    held = new MemoryStream();
            }

            if (held is not null && held.Length + buffer.Length <= MaxHeld)
            {
                held.Write(buffer.Span);
                return;
            }

            if (held is not null)
            {
                // too long to be an error message: let it all through
                await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
                held = null;
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
            if (held is null)
                inner.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
