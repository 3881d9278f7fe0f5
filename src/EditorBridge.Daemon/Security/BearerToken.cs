using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>Checks "authorization: Bearer &lt;token&gt;" against the per-user token, in constant time.</summary>
public sealed class BearerToken(string token)
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes(token);

    public GuardRejection? Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: missing; send 'Bearer <token>' with the content of the daemon's token file");
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: expected 'Bearer <token>'");
        var presented = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, expected)
            ? null
            : new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: wrong token; read it again from the daemon's token file");
    }
}
