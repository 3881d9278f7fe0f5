using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Accepts only loopback Host names, so a DNS-rebinding page (evil.example resolving to
/// 127.0.0.1) cannot talk to the daemon through the painter's browser.
/// </summary>
public static class LoopbackHost
{
    private static readonly string[] Names = ["localhost", "127.0.0.1", "::1", "[::1]"];

    public static GuardRejection? Check(HttpRequest request)
    {
        var host = request.Host;
        if (!host.HasValue)
            return new GuardRejection(StatusCode.PermissionDenied, 403, "Host: missing; only loopback hosts (localhost, 127.0.0.1, [::1]) are served");
        return IsLoopbackName(host.Host)
            ? null
            : new GuardRejection(StatusCode.PermissionDenied, 403, $"Host: '{host.Value}' is not a loopback host; only localhost, 127.0.0.1 and [::1] are served");
    }

    public static bool IsLoopbackName(string name) =>
        Names.Contains(name, StringComparer.OrdinalIgnoreCase);
}
