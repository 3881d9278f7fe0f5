using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// The network listener's own certificate when the admin has none (<c>serve --self-signed</c>):
/// made once (ECDSA P-256, valid five years, for the server names) and kept in the state folder,
/// owner-only, so its fingerprint stays what the clients pinned. Delete the two files for a new one.
/// </summary>
public static class SelfSignedCertificate
{
    public const string CertificateFileName = "studio-cert.pem";
    public const string KeyFileName = "studio-key.pem";

    public static X509Certificate2 LoadOrCreate(string stateDirectory, IReadOnlyList<string> names)
    {
        var certificate = Path.Combine(stateDirectory, CertificateFileName);
        var key = Path.Combine(stateDirectory, KeyFileName);
        if (!File.Exists(certificate) || !File.Exists(key))
            Create(certificate, key, names);
        return X509Certificate2.CreateFromPemFile(certificate, key);
    }

    private static void Create(string certificatePath, string keyPath, IReadOnlyList<string> names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=EditorBridge {names[0]}", key, HashAlgorithmName.SHA256);
        var alternative = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name.Trim('[', ']'), out var address))
                alternative.AddIpAddress(address);
            else
                alternative.AddDnsName(name);
        }

        request.CertificateExtensions.Add(alternative.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        WriteOwnerOnly(keyPath, key.ExportPkcs8PrivateKeyPem());
        WriteOwnerOnly(certificatePath, certificate.ExportCertificatePem());
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
        writer.Write('\n'); // ends with a newline: certificates concatenated with cat stay valid PEM (a balancer's @BACKEND_CA@)
    }
}
