using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EditorBridge.LocalState;

/// <summary>
/// The per-user tokens a studio's daemon accepts on its network listener (<c>editorbridge tokens</c>):
/// a JSON file, owner-only like the local token, holding for each user a name, whether the token is
/// an admin's, and the SHA-256 of the token, never the token itself. A token is 32 random bytes (hex),
/// shown once when it is added; so a plain SHA-256 is enough (no guessable secret to stretch).
/// Every change is written whole to a new file and renamed over the old one, so a daemon reading it
/// at any moment sees the old list or the new one.
/// </summary>
public sealed class StudioTokens
{
    public const string DefaultFileName = "tokens.json";

    /// <summary>What each token starts with, so a leaked one is recognisable (and greppable in a log).</summary>
    public const string Prefix = "ebt_";

    /// <summary>The name the daemon gives the painter on its own machine (the local token): no studio token may take it,
    /// or its holder would see and cancel every local job.</summary>
    public const string LocalName = "local";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private StudioTokens(string path, List<StudioToken> entries)
    {
        Path = path;
        Entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<StudioToken> Entries { get; private set; }

    /// <summary>No tokens at all (what a daemon accepts while its tokens file is damaged or exposed).</summary>
    public static StudioTokens None(string path) => new(path, []);

    /// <summary>Reads the file; a missing file is an empty list. Refuses a file others may read or write.</summary>
    public static StudioTokens Load(string path)
    {
        if (!File.Exists(path))
            return new StudioTokens(path, []);
        if (!OperatingSystem.IsWindows() && !TokenFile.IsPrivate(path))
            throw new TokenFileExposedException(path, Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0'));
        try
        {
            var file = JsonSerializer.Deserialize<TokensFile>(File.ReadAllText(path), Json);
            return new StudioTokens(path, file?.Tokens ?? []);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"tokens file {path} is damaged: {e.Message}", e);
        }
    }

    /// <summary>Issues a token for <paramref name="name"/>; returns the token (shown once, never stored).</summary>
    public string Add(string name, bool admin)
    {
        CheckName(name);
        if (Entries.Any(e => e.Name == name))
            throw new InvalidOperationException($"a token named '{name}' exists; revoke it first ('editorbridge tokens revoke {name}')");
        var token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Save([.. Entries, new StudioToken(name, Hash(token), admin, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);
        return token;
    }

    /// <summary>Removes the token named <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name)
    {
        var kept = Entries.Where(e => e.Name != name).ToList();
        if (kept.Count == Entries.Count)
            return false;
        Save(kept);
        return true;
    }

    /// <summary>The entry whose hash matches <paramref name="token"/> (compared in constant time), or null.</summary>
    public StudioToken? Find(string token)
    {
        var presented = Convert.FromHexString(Hash(token));
        StudioToken? found = null;
        foreach (var entry in Entries)
        {
            // every entry is compared, so the time does not tell which one matched
            if (CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(entry.Sha256)))
                found = entry;
        }

        return found;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static void CheckName(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            throw new ArgumentException($"token name '{name}': use 1-64 letters, digits, '-', '_', '.', '@'");
        if (IsReserved(name))
            throw new ArgumentException($"token name '{name}': reserved for the painter on the daemon's own machine; pick another");
    }

    /// <summary>True for the name of the daemon's own painter (any case): a tokens file edited by hand to hold it is not honoured for it.</summary>
    public static bool IsReserved(string name) => string.Equals(name, LocalName, StringComparison.OrdinalIgnoreCase);

    private void Save(List<StudioToken> entries)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        // a fresh, random name created exclusively: a file or link someone planted is never written through
        var temp = Path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".new";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
            JsonSerializer.Serialize(stream, new TokensFile(entries), Json);
        File.Move(temp, Path, overwrite: true);
        Entries = entries;
    }

    private sealed record TokensFile(List<StudioToken> Tokens);
}

/// <summary>One issued token: its user's name, admin or not, the SHA-256 of the token (hex), when it was issued.</summary>
public sealed record StudioToken(
    string Name,
    string Sha256,
    bool Admin,
    [property: JsonPropertyName("created_unix_ms")] long CreatedUnixMs);
