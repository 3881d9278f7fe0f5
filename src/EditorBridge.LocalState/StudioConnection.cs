using System.Text.Json;
using System.Text.Json.Serialization;

namespace EditorBridge.LocalState;

/// <summary>
/// A painter's machine set up to use a studio's shared daemon instead of a local one: the URL and
/// the pinned certificate fingerprint in <c>studio.json</c>, the user's studio token in the
/// owner-only <c>studio-token</c>, both in the user's state folder. The CLI, the Paint.NET plugin
/// and the Krita plugin all read these two files (<c>editorbridge remote set</c> writes them, and
/// so do the editors' settings).
/// </summary>
public sealed record StudioConnection(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("fingerprint")] string? Fingerprint)
{
    public const string FileName = "studio.json";
    public const string TokenFileName = "studio-token";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(StatePaths paths) => System.IO.Path.Combine(paths.StateDirectory, FileName);

    public static string TokenPathIn(StatePaths paths) => System.IO.Path.Combine(paths.StateDirectory, TokenFileName);

    /// <summary>
    /// The studio daemon's address as saved, from what a painter typed: an absolute https:// URL
    /// without the trailing slash. <see cref="FormatException"/> says what is wrong (a studio
    /// daemon serves only over TLS).
    /// </summary>
    public static string NormalizeUrl(string? url)
    {
        var text = (url ?? "").Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"'{text}': expected https://HOST:PORT (a studio daemon serves only over TLS)");
        return uri.ToString().TrimEnd('/');
    }

    /// <summary>The pinned fingerprint as saved (<see cref="CertificatePin.Normalize"/>), null for none; <see cref="FormatException"/> when it is not one.</summary>
    public static string? NormalizePin(string? fingerprint) =>
        string.IsNullOrWhiteSpace(fingerprint) ? null
        : CertificatePin.Normalize(fingerprint) ?? throw new FormatException($"'{fingerprint.Trim()}': expected a SHA-256 fingerprint, 32 hex pairs (AB:CD:...) as 'editorbridge serve' printed it");

    /// <summary>The saved connection, or null when this machine uses its own daemon (no file, or an empty URL).</summary>
    public static StudioConnection? Load(StatePaths paths)
    {
        try
        {
            var saved = JsonSerializer.Deserialize<StudioConnection>(File.ReadAllText(PathIn(paths)), Json);
            return string.IsNullOrWhiteSpace(saved?.Url) ? null : saved;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{PathIn(paths)} is damaged: {e.Message}; remove it ('editorbridge remote clear') or set it again", e);
        }
    }

    /// <summary>Saves the URL and fingerprint, and the token (when given) owner-only.</summary>
    public void Save(StatePaths paths, string? token)
    {
        paths.EnsureExists();
        File.WriteAllText(PathIn(paths), JsonSerializer.Serialize(this, Json));
        if (token is not null)
            WriteOwnerOnly(TokenPathIn(paths), token.Trim());
    }

    /// <summary>Back to the local daemon: removes both files.</summary>
    public static void Clear(StatePaths paths)
    {
        File.Delete(PathIn(paths));
        File.Delete(TokenPathIn(paths));
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        // a fresh, random name created exclusively: a file or link someone planted is never written through
        var temp = path + "." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) + ".new";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        File.Move(temp, path, overwrite: true);
    }
}
