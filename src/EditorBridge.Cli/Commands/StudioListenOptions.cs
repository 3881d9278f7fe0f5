using System.CommandLine;
using EditorBridge.Daemon.Core;

namespace EditorBridge.Cli.Commands;

/// <summary>serve's flags for the network listener; each overrides settings.json's "Remote" section.</summary>
public sealed class StudioListenOptions
{
    private readonly Option<string?> listen = new("--listen") { Description = "Also serve studio clients on ADDRESS:PORT (e.g. 0.0.0.0:7443): TLS and studio tokens only" };
    private readonly Option<string?> certificate = new("--cert") { Description = "The server certificate (PEM) for --listen" };
    private readonly Option<string?> key = new("--key") { Description = "Its private key (PEM)" };
    private readonly Option<bool> selfSigned = new("--self-signed") { Description = "Make (once; kept in the state folder) a self-signed certificate and print its fingerprint for clients to pin" };
    private readonly Option<string[]> serverNames = new("--server-name") { Description = "A name clients use for this daemon (Host rule, certificate); repeat for several (default: the address and this machine's name)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> backendName = new("--backend-name") { Description = "This daemon's name behind a balancer (lowercase letters, digits, '-'): job ids start with it, so the balancer routes CancelJob by id here" };
    private readonly Option<string?> tokensFile = new("--tokens-file") { Description = "The studio tokens file (default: tokens.json in the state folder; 'editorbridge tokens' manages it)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { listen, certificate, key, selfSigned, serverNames, tokensFile, backendName })
            command.Options.Add(option);
    }

    public void Apply(ParseResult parse, RemoteOptions remote)
    {
        remote.Listen = parse.GetValue(listen) ?? remote.Listen;
        remote.CertificateFile = parse.GetValue(certificate) ?? remote.CertificateFile;
        remote.CertificateKeyFile = parse.GetValue(key) ?? remote.CertificateKeyFile;
        remote.SelfSigned |= parse.GetValue(selfSigned);
        if (parse.GetValue(serverNames) is { Length: > 0 } names)
            remote.ServerNames = [.. names];
        remote.TokensFile = parse.GetValue(tokensFile) ?? remote.TokensFile;
        remote.BackendName = parse.GetValue(backendName) ?? remote.BackendName;
        bool tlsFlags = parse.GetResult(certificate) is not null || parse.GetResult(key) is not null || parse.GetValue(selfSigned);
        if (tlsFlags && !remote.IsEnabled)
            throw new UsageException("--cert, --key and --self-signed are for the network listener: add --listen ADDRESS:PORT");
    }
}
