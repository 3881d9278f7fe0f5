using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Security;
using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// The network listener, checked before anything binds: an address and port, a certificate (the
/// admin's, or one made once and kept in the state folder) and at least one studio token. Any of
/// them missing is a refusal that says what to do: the daemon never serves a network address in
/// plain HTTP or without tokens.
/// </summary>
public sealed record RemoteListener(IPEndPoint EndPoint, X509Certificate2 Certificate, ServerNamePolicy Names, StudioTokenCheck Tokens)
{
    public string Fingerprint => CertificatePin.Of(Certificate);

    /// <summary>"https://ADDRESS:PORT", as clients name it (a host name the certificate holds may stand for the address).</summary>
    public string Url => $"https://{(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]" : EndPoint.Address.ToString())}:{EndPoint.Port}";

    public static RemoteListener? Prepare(RemoteOptions options, StatePaths paths)
    {
        if (!options.IsEnabled)
            return null;
        var endPoint = ParseEndPoint(options.Listen!);
        var names = options.ServerNames.Count > 0 ? options.ServerNames : DefaultNames(endPoint);
        bool tls = options.SelfSigned || !string.IsNullOrWhiteSpace(options.CertificateFile) || !string.IsNullOrWhiteSpace(options.CertificateKeyFile);
        if (!tls)
            throw new InvalidDataException($"--listen {options.Listen}: refusing to serve a network address in plain HTTP: give the server's certificate (--cert CERT.pem --key KEY.pem) or --self-signed (clients then pin the fingerprint it prints)");
        var tokensFile = TokensFileOf(options, paths);
        var tokens = StudioTokens.Load(tokensFile);
        if (tokens.Entries.Count == 0)
            throw new InvalidDataException($"--listen {options.Listen}: no studio tokens in {tokensFile}; a network listener serves only with tokens: issue one with 'editorbridge tokens add NAME' first");
        var certificate = LoadCertificate(options, paths, names);
        return new RemoteListener(endPoint, certificate, new ServerNamePolicy(names), new StudioTokenCheck(tokensFile));
    }

    public static string TokensFileOf(RemoteOptions options, StatePaths paths) =>
        string.IsNullOrWhiteSpace(options.TokensFile) ? Path.Combine(paths.StateDirectory, StudioTokens.DefaultFileName) : Path.GetFullPath(options.TokensFile);

    public static IPEndPoint ParseEndPoint(string listen)
    {
        if (!IPEndPoint.TryParse(listen.Trim(), out var endPoint) || endPoint.Port == 0)
            throw new InvalidDataException($"--listen '{listen}': expected ADDRESS:PORT with an IP address and a port, e.g. 0.0.0.0:7443 or [::]:7443");
        return endPoint;
    }

    private static List<string> DefaultNames(IPEndPoint endPoint)
    {
        var names = new List<string> { Dns.GetHostName() };
        if (!endPoint.Address.Equals(IPAddress.Any) && !endPoint.Address.Equals(IPAddress.IPv6Any))
            names.Add(endPoint.Address.ToString());
        return names;
    }

    private static X509Certificate2 LoadCertificate(RemoteOptions options, StatePaths paths, IReadOnlyList<string> names)
    {
        bool given = !string.IsNullOrWhiteSpace(options.CertificateFile) || !string.IsNullOrWhiteSpace(options.CertificateKeyFile);
        if (given && options.SelfSigned)
            throw new InvalidDataException("--listen: give a certificate (--cert/--key) or --self-signed, not both");
        if (given)
        {
            if (string.IsNullOrWhiteSpace(options.CertificateFile) || string.IsNullOrWhiteSpace(options.CertificateKeyFile))
                throw new InvalidDataException("--listen: a certificate needs both --cert CERT.pem and --key KEY.pem");
            try
            {
                return X509Certificate2.CreateFromPemFile(options.CertificateFile, options.CertificateKeyFile);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
            {
                throw new InvalidDataException($"--cert {options.CertificateFile} / --key {options.CertificateKeyFile}: not a PEM certificate and its private key: {e.Message}", e);
            }
        }

        return SelfSignedCertificate.LoadOrCreate(paths.StateDirectory, names);
    }
}
