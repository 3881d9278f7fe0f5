using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// The network listener's rules, in order: its server names (Host, Origin), then a studio user's
/// token. Without a network listener nothing reaches these rules; a TLS request then is refused.
/// </summary>
public sealed class RemoteRules(ServerNamePolicy? names, StudioTokenCheck? tokens)
{
    public static readonly RemoteRules None = new(null, null);

    public ServerNamePolicy? Names => names;

    public (Caller? Caller, GuardRejection? Rejection) Check(HttpRequest request)
    {
        if (names is null || tokens is null)
            return (null, new GuardRejection(StatusCode.PermissionDenied, 403, "this daemon has no network listener"));
        var rejection = names.CheckHost(request) ?? names.CheckOrigin(request);
        return rejection is null ? tokens.Check(request) : (null, rejection);
    }
}
