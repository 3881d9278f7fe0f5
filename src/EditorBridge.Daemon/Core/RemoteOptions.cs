namespace EditorBridge.Daemon.Core;

/// <summary>
/// The network listener a studio's daemon adds beside its loopback ones (section "Remote" of
/// settings.json, or <c>serve --listen</c> and its flags). It serves only with TLS and per-user
/// tokens (<c>editorbridge tokens</c>); the loopback listeners stay exactly as they are.
/// </summary>
public sealed class RemoteOptions
{
    /// <summary>"ADDRESS:PORT" to listen on ("0.0.0.0:7443", "[::]:7443", "192.168.1.20:7443"). Empty: no network listener.</summary>
    public string? Listen { get; set; }

    /// <summary>The server's certificate (PEM) the admin gives; with <see cref="CertificateKeyFile"/>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The certificate's private key (PEM).</summary>
    public string? CertificateKeyFile { get; set; }

    /// <summary>
    /// Make (once, then reuse from the state folder) a self-signed certificate for
    /// <see cref="ServerNames"/>; clients pin its SHA-256 fingerprint, which serve prints.
    /// </summary>
    public bool SelfSigned { get; set; }

    /// <summary>
    /// The names clients reach this daemon by (Host header and Origin rules of the network listener;
    /// the self-signed certificate's names). Empty: the listen address and this machine's host name.
    /// </summary>
    public List<string> ServerNames { get; set; } = [];

    /// <summary>The hashed per-user tokens (<c>editorbridge tokens</c>). Empty: tokens.json in the state folder.</summary>
    public string? TokensFile { get; set; }

    /// <summary>
    /// This daemon's name behind a balancer (lowercase letters, digits, '-'): job ids start with it
    /// (<c>NAME.job-…</c>) so the balancer can route a CancelJob by id here (deploy/nginx). Empty: plain ids.
    /// </summary>
    public string? BackendName { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Listen);
}
