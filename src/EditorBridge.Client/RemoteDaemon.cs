using System.Net.Security;
using EditorBridge.LocalState;
using Grpc.Core;
using Grpc.Net.Client;

namespace EditorBridge.Client;

/// <summary>
/// A studio's shared daemon, reached by URL (https only) with the user's studio token, never
/// started by the client. The token comes from <see cref="ConnectOptions.Token"/>, else
/// EDITORBRIDGE_TOKEN, else the owner-only file <c>studio-token</c> in the user's state folder:
/// never from a command-line argument, which other users see in <c>ps</c>. With a pinned
/// fingerprint the daemon's certificate must be that one (a self-signed certificate is then
/// fine); without one the certificate must be valid for the URL's host as the system checks it.
/// </summary>
public static class RemoteDaemon
{
    public const string UrlVariable = "EDITORBRIDGE_DAEMON_URL";
    public const string TokenVariable = "EDITORBRIDGE_TOKEN";
    public const string FingerprintVariable = "EDITORBRIDGE_FINGERPRINT";
    public const string TokenFileName = StudioConnection.TokenFileName;

    public static async Task<DaemonConnection> ConnectAsync(Uri url, ConnectOptions options, StatePaths paths, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
            throw new DaemonUnavailableException($"--daemon {url}: a remote daemon is reached over TLS only; use https://HOST:PORT");
        var token = TokenFor(options, paths);
        string? pin = null;
        if (!string.IsNullOrWhiteSpace(options.Fingerprint))
            pin = CertificatePin.Normalize(options.Fingerprint)
                ?? throw new DaemonUnavailableException($"fingerprint '{options.Fingerprint}': expected the SHA-256 fingerprint serve printed (32 hex pairs, e.g. AB:CD:...)");
        var check = new CertificateCheck(pin);
        var connection = DaemonConnection.OpenRemote(url, token, check.Options, options.ConnectTimeout, paths);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await connection.Client.GetInfoAsync(options.ConnectTimeout, cancellationToken);
            return connection;
        }
        // the handler's own connect timeout (TCP + TLS) surfaces as CANCELLED although nobody cancelled
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
                                         || (e.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested))
        {
            connection.Dispose();
            if (check.Mismatch is { } seen)
                throw new DaemonUnavailableException($"the daemon at {url} presented a certificate with SHA-256 fingerprint {seen}, not the pinned {pin}; refusing to send the token (ask your admin for the right fingerprint)", e);
            if (check.Invalid is { } errors)
                throw new DaemonUnavailableException($"the daemon at {url} presented a certificate this machine does not trust ({errors}); pin its fingerprint (--fingerprint or {FingerprintVariable}) or install the studio's certificate authority", e);
            // the call's deadline or the connection's own timeout (TCP + TLS), whichever came first
            throw new DaemonUnavailableException(e.StatusCode == StatusCode.DeadlineExceeded || clock.Elapsed >= options.ConnectTimeout * 0.9
                ? $"the daemon at {url} did not answer within {options.ConnectTimeout.TotalSeconds:0.#} s (connect timeout); check the address and that the daemon runs"
                : $"the daemon at {url} cannot be reached: {e.Status.Detail}{(e.Status.DebugException?.InnerException ?? e.Status.DebugException) switch { { } x => $" ({x.Message})", _ => "" }}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The user's studio token: the options', EDITORBRIDGE_TOKEN, or the owner-only file studio-token in the state folder.</summary>
    public static string TokenFor(ConnectOptions options, StatePaths paths)
    {
        if (!string.IsNullOrWhiteSpace(options.Token))
            return options.Token.Trim();
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } variable)
            return variable.Trim();
        var file = Path.Combine(paths.StateDirectory, TokenFileName);
        if (!File.Exists(file))
            throw new DaemonUnavailableException($"no studio token: set {TokenVariable}, or put the token your admin gave you in {file} (chmod 600)");
        if (!TokenFile.IsPrivate(file))
            throw new DaemonUnavailableException($"{file} may be read by other users; run 'chmod 600 {file}' (and ask your admin for a new token if others may have read it)");
        return File.ReadAllText(file).Trim();
    }

    /// <summary>Checks the daemon's certificate, and remembers why it refused one (for the message).</summary>
    private sealed class CertificateCheck(string? pin)
    {
        public string? Mismatch { get; private set; }

        public SslPolicyErrors? Invalid { get; private set; }

        public SslClientAuthenticationOptions Options => new()
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (pin is null)
                {
                    Invalid = errors == SslPolicyErrors.None ? null : errors;
                    return errors == SslPolicyErrors.None;
                }

                var seen = certificate is null ? "(none)" : CertificatePin.Of(certificate);
                Mismatch = seen == pin ? null : seen;
                return seen == pin;
            },
        };
    }
}
