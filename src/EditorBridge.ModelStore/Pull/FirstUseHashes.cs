using System.Text.Json;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// <c>&lt;store&gt;/.first-use-hashes.json</c>: the SHA-256 recorded the first time a file without a
/// published checksum was pulled, by its publisher URL. Later pulls (from the publisher or a mirror) must
/// match it, like SSH's known hosts.
/// </summary>
internal sealed class FirstUseHashes
{
    private readonly string path;
    private readonly Dictionary<string, Recorded> byUrl;

    private FirstUseHashes(string path, Dictionary<string, Recorded> byUrl)
    {
        this.path = path;
        this.byUrl = byUrl;
    }

    public static FirstUseHashes Load(string storeRoot)
    {
        var path = Path.Combine(storeRoot, ".first-use-hashes.json");
        var recorded = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, Recorded>>(File.ReadAllText(path), ModelManifest.JsonOptions)
            : null;
        return new FirstUseHashes(path, recorded ?? new Dictionary<string, Recorded>(StringComparer.Ordinal));
    }

    public Recorded? Find(string url) => byUrl.GetValueOrDefault(url);

    public void Add(IEnumerable<FirstUseHash> hashes, DateTimeOffset when)
    {
        foreach (var hash in hashes)
            byUrl[hash.Url] = new Recorded(hash.Sha256, hash.Size, when);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(byUrl, ModelManifest.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    public sealed record Recorded(string Sha256, long Size, DateTimeOffset RecordedAt);
}
