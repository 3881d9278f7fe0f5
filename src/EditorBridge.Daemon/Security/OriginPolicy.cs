using EditorBridge.Daemon.Core;
using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Refuses requests that a web page makes: any Origin header that is not a loopback http(s)
/// origin, including the opaque "null" origin of sandboxed frames and file pages.
/// Editor plugins and the CLI send no Origin at all.
/// </summary>
public static class OriginPolicy
{
    public static GuardRejection? Check(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("Origin", out var values))
            return null;
        var origin = values.ToString();
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && LoopbackHost.IsLoopbackName(uri.Host))
            return null;
        return new GuardRejection(StatusCode.PermissionDenied, 403, $"Origin: '{Quoted.Short(origin, 80)}' is not allowed; browser pages may not use the daemon");
    }
}
