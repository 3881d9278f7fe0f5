using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// gRPC's own refusals happen before any of our code sees the request and say too little: a
/// truncated or corrupt protobuf message ends as UNKNOWN "Exception was thrown by handler",
/// an oversized one as RESOURCE_EXHAUSTED without the limit. Our handlers never answer
/// UNKNOWN (the error interceptor maps everything), so these statuses are rewritten here into
/// precise ones that name the request and the configured limit.
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
        if (status == ((int)StatusCode.Unknown).ToString(System.Globalization.CultureInfo.InvariantCulture))
            Set(headers, StatusCode.InvalidArgument, $"request: the {method} message could not be read (truncated, corrupt or not protobuf)");
        else if (status == ((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture)
                 && message.StartsWith("Received message exceeds", StringComparison.Ordinal))
            Set(headers, StatusCode.ResourceExhausted, $"request: the {method} message is over the limit of {maxRequestBytes} bytes (EditorBridge:Limits:MaxRequestBytes)");
    }

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
