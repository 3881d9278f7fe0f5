namespace EditorBridge.ModelStore;

/// <summary>
/// How to import a local folder or file.
/// </summary>
/// <param name="Name">The model's name; null: the manifest's, or one made from the folder/file name.</param>
/// <param name="Kind">The kind for a folder without a manifest holding one .onnx file (or that file); a diffusers folder is "diffusion".</param>
/// <param name="LicenceId">The licence id written into a manifest the import makes; null: "unknown" with a note.</param>
/// <param name="Replace">Replace an installed model of the same name (atomically).</param>
/// <param name="MaxTotalBytes">Refuse folders larger than this.</param>
/// <param name="MaxFiles">Refuse folders with more files than this.</param>
public sealed record ModelImportOptions(
    string? Name = null,
    string? Kind = null,
    string? LicenceId = null,
    bool Replace = false,
    long MaxTotalBytes = ModelImportOptions.DefaultMaxTotalBytes,
    int MaxFiles = ModelImportOptions.DefaultMaxFiles)
{
    public const long DefaultMaxTotalBytes = 64L << 30;

    public const int DefaultMaxFiles = 10_000;
}
