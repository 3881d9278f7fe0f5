using System.Text.Json.Serialization;

namespace EditorBridge.ModelStore.Catalog;

/// <summary>
/// One file of a catalog model: where it goes in the model's folder, where to fetch it, its size and
/// the SHA-256 its publisher gives (null where the publisher gives none: the first pull records it).
/// </summary>
/// <param name="Path">Relative path in the model's folder ('/' separated); also the name a mirror serves it under (<c>&lt;mirror&gt;/&lt;model&gt;/&lt;path&gt;</c>).</param>
/// <param name="Url">The publisher's https URL.</param>
/// <param name="Size">Bytes, as the publisher lists them; null where only a rounded size is shown (the first pull records the exact one).</param>
/// <param name="Sha256">Lower-case hex SHA-256 the publisher gives; null: none published (trust on first use).</param>
/// <param name="ApproximateSize">The rounded size the publisher's page shows, for the disk-space check and progress when <paramref name="Size"/> is null.</param>
public sealed record CatalogFile(string Path, string Url, long? Size, string? Sha256 = null, long? ApproximateSize = null)
{
    /// <summary>The exact size where known, else the approximate one.</summary>
    [JsonIgnore]
    public long ExpectedSize => Size ?? ApproximateSize ?? 0;
}
