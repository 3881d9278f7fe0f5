using System.Text.Json.Serialization;

namespace EditorBridge.ModelStore.Catalog;

/// <summary>
/// A model the built-in catalog knows how to pull: what it is, its files with their publisher's URLs,
/// sizes and checksums, its licence, the operations it serves and the signature the onnx engine
/// reads. <see cref="Sources"/> names the pages the URLs, sizes and checksums were taken from.
/// </summary>
public sealed record CatalogEntry(
    string Name,
    string Kind,
    string Version,
    string Description,
    ModelLicence Licence,
    IReadOnlyList<string> Operations,
    IReadOnlyList<CatalogFile> Files,
    IReadOnlyList<string> Sources,
    ModelSignature? Signature = null)
{
    [JsonIgnore]
    public long TotalSize => Files.Sum(f => f.ExpectedSize);

    /// <summary>True when a file has no published checksum (or size): the first pull records them.</summary>
    [JsonIgnore]
    public bool TrustsOnFirstUse => Files.Any(f => f.Sha256 is null || f.Size is null);

    /// <summary>The manifest of the installed model, with the hashes the pull verified (or recorded on first use).</summary>
    public ModelManifest ToManifest(IReadOnlyList<ModelFile> verified) =>
        new(Name, Kind, Version, verified, Licence, Operations, [.. Files.Select(f => f.Url), .. Sources], Description, Signature);
}
