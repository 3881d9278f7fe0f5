using EditorBridge.Daemon.Core;
using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Host and Origin rules of the network listener: the Host (or HTTP/2 :authority) must be one of
/// the configured server names, and an Origin, if sent, must be https:// on one of them (editor
/// plugins and the CLI send none; a web page elsewhere is refused, as on loopback).
/// </summary>
public sealed class ServerNamePolicy(IEnumerable<string> names)
{
    private readonly HashSet<string> names = new(names.Select(Bare), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => names;

    public GuardRejection? CheckHost(HttpRequest request)
    {
        var raw = request.Headers.Host.ToString();
        if (string.IsNullOrEmpty(raw))
            return new GuardRejection(StatusCode.PermissionDenied, 403, $"Host: missing; this daemon serves {List()}");
        return names.Contains(Bare(LoopbackHost.NameOf(raw)))
            ? null
            : new GuardRejection(StatusCode.PermissionDenied, 403, $"Host: '{Quoted.Short(raw, 80)}' is not a name of this daemon; it serves {List()} (Remote:ServerNames)");
    }

    public GuardRejection? CheckOrigin(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("Origin", out var values))
            return null;
        var origin = values.ToString();
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && names.Contains(Bare(uri.Host)))
            return null;
        return new GuardRejection(StatusCode.PermissionDenied, 403, $"Origin: '{Quoted.Short(origin, 80)}' is not allowed; browser pages may not use the daemon");
    }

    // "[::1]" and "::1" are the same name
    private static string Bare(string name) => name.Trim().TrimStart('[').TrimEnd(']');

    private string List() => string.Join(", ", names.Order(StringComparer.Ordinal));
}
