using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EditorBridge.LocalState;

/// <summary>
/// A certificate's SHA-256 fingerprint, as <c>serve --self-signed</c> prints it and clients pin it:
/// upper-case hex pairs joined by colons (what <c>openssl x509 -fingerprint -sha256</c> shows).
/// Clients may give it with or without colons, in either case.
/// </summary>
public static class CertificatePin
{
    public static string Of(X509Certificate certificate) =>
        Format(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>The fingerprint in the printed form, or null when <paramref name="text"/> is not 32 hex bytes.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var hex = new string(text.Trim().Where(c => c is not (':' or ' ')).ToArray());
        if (hex.StartsWith("sha256", StringComparison.OrdinalIgnoreCase))
            hex = hex[6..].TrimStart('=');
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            return null;
        return Format(Convert.FromHexString(hex));
    }

    private static string Format(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
