using EditorBridge.Daemon.Core;
using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Accepts only loopback Host names, so a DNS-rebinding page (evil.example resolving to
/// 127.0.0.1) cannot talk to the daemon through the painter's browser. Reads the raw header
/// (or HTTP/2's :authority, which Kestrel puts there): <see cref="HttpRequest.Host"/> decodes
/// punycode and throws on a name such as "xn--abc", which must be a refusal, not a crash.
/// </summary>
public static class LoopbackHost
{
    private static readonly string[] Names = ["localhost", "127.0.0.1", "::1", "[::1]"];

    public static GuardRejection? Check(HttpRequest request)
    {
        var raw = request.Headers.Host.ToString();
        if (string.IsNullOrEmpty(raw))
            return new GuardRejection(StatusCode.PermissionDenied, 403, "Host: missing; only loopback hosts (localhost, 127.0.0.1, [::1]) are served");
        return IsLoopbackName(NameOf(raw))
            ? null
            : new GuardRejection(StatusCode.PermissionDenied, 403, $"Host: '{Quoted.Short(raw, 80)}' is not a loopback host; only localhost, 127.0.0.1 and [::1] are served");
    }

    public static bool IsLoopbackName(string name) =>
        Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The host name of a Host header value: "[::1]:80" → "[::1]", "localhost:5000" → "localhost".</summary>
    public static string NameOf(string host)
    {
        if (host.StartsWith('['))
        {
            int end = host.IndexOf(']');
            return end < 0 ? host : host[..(end + 1)];
        }

        int colon = host.IndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
