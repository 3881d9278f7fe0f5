using System.Text.Json;
using EditorBridge.Daemon.Core;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Runs before every endpoint, on both the gRPC and the JSON side: loopback Host, no foreign
/// Origin, the bearer token, and the declared body size. On the network listener (the only one
/// with TLS) the Host and Origin must name one of its server names and the token must be a
/// studio user's (<see cref="RemoteRules"/>). The caller found is attached to the request. Refusing here costs ~nothing: the body
/// is never read. gRPC callers get a trailers-only gRPC status, JSON callers the transcoding's
/// error shape {"code","message"}.
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next, BearerToken token, RemoteRules remote, IOptions<DaemonOptions> options)
{
    private readonly long maxRequestBytes = options.Value.Limits.MaxRequestBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var (caller, rejection) = request.IsHttps ? remote.Check(request) : CheckLocal(request);
        rejection ??= CheckSize(request);
        if (rejection is null)
        {
            caller!.AttachTo(context);
            await next(context);
            // also for non-gRPC content types: grpc-dotnet answers those with a gRPC status too
            GrpcStatusRewrite.Apply(context, maxRequestBytes);
            return;
        }

        if (IsGrpc(request))
            RejectGrpc(context.Response, rejection);
        else
            await RejectJsonAsync(context.Response, rejection);
    }

    private (Caller?, GuardRejection?) CheckLocal(HttpRequest request) =>
        (LoopbackHost.Check(request) ?? OriginPolicy.Check(request) ?? token.Check(request)) is { } rejection
            ? (null, rejection)
            : (Caller.Local, null);

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private GuardRejection? CheckSize(HttpRequest request) =>
        request.ContentLength > maxRequestBytes
            ? new GuardRejection(StatusCode.ResourceExhausted, 413, $"request body: {request.ContentLength} bytes is over the limit of {maxRequestBytes} bytes (EditorBridge:Limits:MaxRequestBytes)")
            : null;

    private static void RejectGrpc(HttpResponse response, GuardRejection rejection)
    {
        response.StatusCode = 200;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)rejection.Code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(rejection.Message);
    }

    private static async Task RejectJsonAsync(HttpResponse response, GuardRejection rejection)
    {
        response.StatusCode = rejection.HttpStatus;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(new { code = (int)rejection.Code, message = rejection.Message, details = Array.Empty<object>() }));
    }
}
