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
        return new FirstUseHashes(path, Read(path));
    }

    public Recorded? Find(string url) => byUrl.GetValueOrDefault(url);

    /// <summary>Records the hashes, merged with what other pulls wrote since this one read the file.</summary>
    public void Add(IEnumerable<FirstUseHash> hashes, DateTimeOffset when)
    {
        var current = Read(path);
        foreach (var hash in hashes)
            byUrl[hash.Url] = current[hash.Url] = new Recorded(hash.Sha256, hash.Size, when);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(current, ModelManifest.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    private static Dictionary<string, Recorded> Read(string path)
    {
        if (!File.Exists(path))
            return new Dictionary<string, Recorded>(StringComparer.Ordinal);
        try
        {
            var recorded = JsonSerializer.Deserialize<Dictionary<string, Recorded>>(File.ReadAllText(path), ModelManifest.JsonOptions);
            return new Dictionary<string, Recorded>(recorded ?? [], StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            // without the record, files with no published hash cannot be checked: refuse rather than trust anew
            throw new PullException(PullFailure.Corrupt, $"the record of hashes trusted on first use, {path}, cannot be read ({e.Message}); repair it or delete it to trust the next download anew", e);
        }
    }

    public sealed record Recorded(string Sha256, long Size, DateTimeOffset RecordedAt);
}
