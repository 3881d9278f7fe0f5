using System.Text.Json;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// <c>.downloads/&lt;name&gt;/state.json</c>: what a pull has verified so far and what it needs to resume
/// safely (the server's validator for If-Range), so an interrupted pull knows which bytes to keep.
/// </summary>
internal sealed class DownloadState
{
    public string Version { get; set; } = "";

    public Dictionary<string, DownloadRecord> Files { get; set; } = new(StringComparer.Ordinal);

    public static DownloadState Load(string path, string version)
    {
        try
        {
            var state = File.Exists(path) ? JsonSerializer.Deserialize<DownloadState>(File.ReadAllText(path), ModelManifest.JsonOptions) : null;
            if (state is not null && state.Version == version)
                return state;
        }
        catch (JsonException)
        {
            // a state file cut short by a crash: start from what the partial files prove
        }

        return new DownloadState { Version = version };
    }

    public DownloadRecord For(string file) => Files.TryGetValue(file, out var record) ? record : Files[file] = new DownloadRecord();

    /// <summary>Written whole to a temporary file and renamed over the old one: never half a state.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, ModelManifest.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}
