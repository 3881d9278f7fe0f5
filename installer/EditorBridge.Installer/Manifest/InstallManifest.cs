using System.Text.Json;
using System.Text.Json.Serialization;
using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Host;

namespace EditorBridge.Installer.Manifest;

/// <summary>
/// What an install put on the machine, kept in the program folder (<c>install-manifest.json</c>)
/// so that uninstalling removes exactly that: every file with its SHA-256, the links, the
/// folders it created, the kritarc keys it set (with the values before), the registry values
/// and the PATH entry. While an install runs the manifest says <see cref="Complete"/> = false
/// and lists old and new files both, so a run that was killed half-way is repaired by the next
/// one (or cleanly removed by --uninstall).
/// </summary>
public sealed record InstallManifest
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public int Format { get; init; } = CurrentFormat;

    public string Version { get; init; } = "unknown";

    public string? Runtime { get; init; }

    public bool Complete { get; init; }

    /// <summary>Whether on-login start was chosen (kept by later runs unless --autostart/--no-autostart says otherwise).</summary>
    public bool Autostart { get; init; }

    public IReadOnlyList<FileEntry> Files { get; init; } = [];

    public IReadOnlyList<LinkEntry> Links { get; init; } = [];

    /// <summary>Folders that did not exist before an install created them (removed on uninstall when empty).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    public IReadOnlyList<KritarcEntry> Kritarc { get; init; } = [];

    public IReadOnlyList<RegistryEntry> Registry { get; init; } = [];

    /// <summary>Folders added to the user's PATH (Windows).</summary>
    public IReadOnlyList<string> UserPath { get; init; } = [];

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static InstallManifest Parse(byte[] bytes, string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<InstallManifest>(bytes, Json) ?? throw new JsonException("empty");
            if (manifest.Format > CurrentFormat)
                throw new ManifestException($"{path} was written by a newer editorbridge-setup (format {manifest.Format}); use that version");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new ManifestException($"{path} is damaged ({e.Message})");
        }
    }
}

/// <summary>An installed file. <see cref="PreviousSha256"/> is set only while an upgrade runs: the old version is ours too.</summary>
public sealed record FileEntry(string Path, string Sha256, long Size, string Component, string? PreviousSha256 = null)
{
    public bool IsOurs(string sha256) =>
        string.Equals(sha256, Sha256, StringComparison.OrdinalIgnoreCase) || string.Equals(sha256, PreviousSha256, StringComparison.OrdinalIgnoreCase);
}

public sealed record LinkEntry(string Path, string Target, string Component);

public sealed record KritarcEntry(string Path, string Krita, KritarcEdit Edit);

/// <summary>A value under HKEY_CURRENT_USER; <see cref="Previous"/> is what was there before (null: nothing).</summary>
public sealed record RegistryEntry(string Key, string Name, RegistryValue Value, RegistryValue? Previous, bool CreatedKey, string Component);

public sealed class ManifestException(string message) : Exception(message);
