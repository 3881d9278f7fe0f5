using EditorBridge.LocalState;
using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>
/// Checks the network listener's bearer tokens against the hashed tokens file. The file is looked
/// at (its size and time) on every request and read again when it changed, so a token the admin
/// revokes is refused from the next request on, without a restart. The token itself is never
/// logged or quoted in a refusal.
/// </summary>
public sealed class StudioTokenCheck(string path)
{
    private readonly Lock gate = new();
    // Some file systems keep times to a second or two (FAT, HFS+, network shares): a file read within that
    // long of its last write is read again, so a revoke and an add of the same length in one tick are both seen.
    private static readonly TimeSpan TimestampTick = TimeSpan.FromSeconds(3);

    private (DateTime Written, long Length, bool Exists) seen = (DateTime.MinValue, -1, false);
    private DateTime readAt = DateTime.MinValue;
    private StudioTokens tokens = StudioTokens.Load(path);

    public string Path => path;

    /// <summary>The caller the token names, or the refusal.</summary>
    public (Caller? Caller, GuardRejection? Rejection) Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (string.IsNullOrEmpty(header))
            return (null, new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: missing; send 'Bearer <token>' with the token your studio's admin issued ('editorbridge tokens add NAME')"));
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return (null, new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: expected 'Bearer <token>'"));
        var entry = Current().Find(header[prefix.Length..].Trim());
        if (entry is not null && StudioTokens.IsReserved(entry.Name))
            return (null, new GuardRejection(StatusCode.Unauthenticated, 401, $"authorization: this token's name '{entry.Name}' is reserved for the daemon's own painter; ask your studio's admin for a token with another name"));
        return entry is null
            ? (null, new GuardRejection(StatusCode.Unauthenticated, 401, "authorization: this token is not (or no longer) valid on this daemon; ask your studio's admin for one"))
            : (new Caller(entry.Name, entry.Admin, IsRemote: true), null);
    }

    private StudioTokens Current()
    {
        var file = new FileInfo(path);
        var now = (file.Exists ? file.LastWriteTimeUtc : DateTime.MinValue, file.Exists ? file.Length : -1, file.Exists);
        lock (gate)
        {
            if (now != seen || readAt - now.Item1 < TimestampTick)
            {
                // a file made unreadable or exposed since: no token is valid until it is fixed
                try
                {
                    tokens = StudioTokens.Load(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or TokenFileExposedException)
                {
                    Console.Error.WriteLine($"editorbridge: tokens file {path}: {e.Message}; refusing every network token until it is fixed");
                    tokens = StudioTokens.None(path);
                }

                seen = now;
                readAt = DateTime.UtcNow;
            }

            return tokens;
        }
    }
}
