using EditorBridge.Daemon.Core;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// gRPC's own refusals happen before any of our code sees the request and say too little: a
/// truncated or corrupt protobuf message ends as UNKNOWN "Exception was thrown by handler",
/// an oversized one as RESOURCE_EXHAUSTED without the limit, broken framing (an incomplete frame,
/// a second message, a compressed flag without grpc-encoding) and a missing or non-gRPC content type as
/// INTERNAL, an unknown method as UNIMPLEMENTED without its name. Our handlers never answer
/// UNKNOWN, and never INTERNAL with these messages (the error interceptor maps everything), so
/// these statuses are rewritten here into precise ones that name what is wrong.
/// </summary>
public static class GrpcStatusRewrite
{
    public static void Apply(HttpContext context, long maxRequestBytes)
    {
        var headers = WritableStatusHeaders(context);
        if (headers is null || !headers.TryGetValue("grpc-status", out var status))
            return;
        var method = context.Request.Path.Value?.Split('/').LastOrDefault() ?? "the request";
        var message = Uri.UnescapeDataString(headers["grpc-message"].ToString());
        if (status == Code(StatusCode.Unknown))
        {
            var (code, text) = HandlerException(message, method, maxRequestBytes);
            Set(headers, code, text);
        }
        else if (status == Code(StatusCode.ResourceExhausted) && message.StartsWith("Received message exceeds", StringComparison.Ordinal))
            Set(headers, StatusCode.ResourceExhausted, $"request: the {method} message is over the limit of {maxRequestBytes} bytes (EditorBridge:Limits:MaxRequestBytes)");
        else if (status == Code(StatusCode.Internal) && FramingProblem(message, method, context.Request.ContentType) is { } problem)
            Set(headers, StatusCode.InvalidArgument, problem);
        else if (status == Code(StatusCode.Unimplemented) && message is "Method is unimplemented." or "Service is unimplemented.")
            Set(headers, StatusCode.Unimplemented, $"method: '{Short(context.Request.Path.Value ?? "")}' is not served; this daemon serves {ServiceName} (GetInfo, RunJob, CancelJob, ListJobs, PutBlob, GetBlob)");
    }

    public const string ServiceName = "editorbridge.v1.EditorBridge";

    /// <summary>
    /// UNKNOWN comes from an exception gRPC caught before our handler ran: reading the request.
    /// With detailed errors on (DaemonHost), its message names the exception; our interceptor maps
    /// every exception of our own code, so this is never one of ours. A message that is not
    /// protobuf is the client's fault; running out of memory while reading a valid one is not.
    /// </summary>
    private static (StatusCode Code, string Message) HandlerException(string message, string method, long maxRequestBytes)
    {
        const string prefix = "Exception was thrown by handler.";
        var detail = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..].Trim() : "";
        var type = detail.Split(':')[0];
        var what = detail.Length > type.Length + 1 ? detail[(type.Length + 1)..].Trim() : "";
        return type switch
        {
            // a length prefix above 2^31-1: grpc-dotnet refuses it before comparing with the limit
            "IOException" when what.StartsWith("Message too large", StringComparison.Ordinal) =>
                (StatusCode.ResourceExhausted, $"request: the {method} frame declares {what["Message too large".Length..].Trim(' ', ':')} bytes, over the limit of {maxRequestBytes} bytes (EditorBridge:Limits:MaxRequestBytes)"),
            "OutOfMemoryException" or "InsufficientExecutionStackException" =>
                (StatusCode.ResourceExhausted, $"request: the daemon ran out of memory reading the {method} message; send a smaller layer or selection, or close other programs"),
            "" or "InvalidProtocolBufferException" or "DecoderFallbackException" or "InvalidDataException" or "ArgumentException" or "IOException" =>
                (StatusCode.InvalidArgument, $"request: the {method} message could not be read (truncated, corrupt or not protobuf){(what.Length > 0 ? ": " + Short(what) : "")}"),
            _ => (StatusCode.Internal, $"internal error reading the {method} message: {Short(detail)}; see the daemon log"),
        };
    }

    // The messages grpc-dotnet (2.x) answers INTERNAL with when the request is not a well-formed gRPC call.
    private static string? FramingProblem(string message, string method, string? contentType) => message switch
    {
        "Incomplete message." => $"request: the {method} request ended inside a gRPC frame (its length prefix promises more bytes than were sent)",
        "Additional data after the message received." => $"request: {method} takes exactly one message; more bytes followed it",
        "Request did not include grpc-encoding value with compressed message." => "grpc-encoding: missing, yet the message is flagged as compressed",
        "Content-Type is missing from the request." => "content-type: missing; a gRPC request must send content-type: application/grpc",
        _ when message.StartsWith("Content-Type '", StringComparison.Ordinal) && message.EndsWith("' is not supported.", StringComparison.Ordinal) =>
            $"content-type: '{Short(contentType ?? "")}' is not gRPC; send application/grpc",
        _ => null,
    };

    private static string Code(StatusCode code) => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Short(string s) => Quoted.Short(s, 80);

    // Trailers-only answers carry the status in the headers while they are not yet sent;
    // answers with messages carry it in the trailers.
    private static IHeaderDictionary? WritableStatusHeaders(HttpContext context)
    {
        if (!context.Response.HasStarted && context.Response.Headers.ContainsKey("grpc-status"))
            return context.Response.Headers;
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        return trailers is { IsReadOnly: false } && trailers.ContainsKey("grpc-status") ? trailers : null;
    }

    private static void Set(IHeaderDictionary headers, StatusCode code, string message)
    {
        headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
