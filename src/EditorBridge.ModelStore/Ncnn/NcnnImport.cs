using System.Security.Cryptography;

namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// Makes an installable model folder from an ncnn model (<c>NAME.param</c> + <c>NAME.bin</c>): the
/// converted <c>model.onnx</c>, the shipped files under <c>ncnn/</c> (so the model's identity covers
/// what was shipped), and a manifest of kind upscale (×1 for denoisers) whose signature feeds RGB 0..1.
/// </summary>
internal static class NcnnImport
{
    public const string OnnxFile = "model.onnx";
    public const string SourceFolder = "ncnn";

    /// <summary>Tile side (input pixels) for the tiled run; ×3 and ×4 models get smaller tiles, their activations are larger.</summary>
    public static int TileFor(int scale) => scale >= 3 ? 160 : 256;

    public const int TileOverlap = 16;

    /// <summary>The model's name as it would be installed (the family's naming), before any conversion.</summary>
    public static string DefaultName(string paramPath) => NcnnFamily.Of(paramPath).Name;

    /// <summary>Converts <paramref name="paramPath"/> and its .bin into <paramref name="staging"/>; returns the manifest (not written).</summary>
    public static ModelManifest Stage(string paramPath, string staging, string name, ModelImportOptions options, NcnnFault fault = NcnnFault.None, CancellationToken cancellationToken = default)
    {
        var binPath = Path.ChangeExtension(paramPath, ".bin");
        if (!File.Exists(binPath))
            throw new FormatException($"'{Path.GetFileName(binPath)}' (its weights) is not beside '{paramPath}'");
        var family = NcnnFamily.Of(paramPath);
        var layers = NcnnParam.Parse(File.ReadAllText(paramPath));
        var result = NcnnToOnnx.Convert(layers, File.ReadAllBytes(binPath), family.Rules, name, fault);
        cancellationToken.ThrowIfCancellationRequested();
        File.WriteAllBytes(Path.Combine(staging, OnnxFile), result.Onnx);
        var files = new List<ModelFile> { new(OnnxFile, result.Onnx.LongLength, Convert.ToHexStringLower(SHA256.HashData(result.Onnx))) };
        foreach (var source in new[] { paramPath, binPath })
            files.Add(StagedCopy.Copy(source, staging, $"{SourceFolder}/{Path.GetFileName(source)}", cancellationToken));
        var g = result.Geometry;
        var licence = options.LicenceId is { Length: > 0 } id ? new ModelLicence(id)
            : family.Licence ?? new ModelLicence(ModelImport.UnknownLicenceId, Text: ModelImport.UnknownLicenceNote);
        var image = new TensorDescription(NcnnToOnnx.InputName, "image", [1, 3, -1, -1], "float32", [0, 1], "rgb");
        var signature = new ModelSignature(OnnxFile, [image], [image with { Name = NcnnToOnnx.OutputName }],
            SizeMultiple: g.Multiple, Scale: g.Scale, Tile: TileFor(g.Scale), TileOverlap: TileOverlap);
        var what = g.Scale == 1 ? "restores (denoises) at the same size" : $"enlarges ×{g.Scale}";
        var description = $"{family.Family} {Path.GetFileNameWithoutExtension(paramPath)} (ncnn), converted to ONNX by EditorBridge's ncnn importer; "
            + $"{what}; border {g.Border} px ({(family.Rules.ReflectBorder ? "mirrored" : "repeated")}) added in the graph, sides a multiple of {g.Multiple}"
            + (family.Rules.AddsNearestInput ? "; the answer is added to the input enlarged by repeating pixels, as the reference program does" : "")
            + $". Shipped files kept under {SourceFolder}/.";
        return new ModelManifest(name, ModelKind.Upscale, ModelImport.LocalVersion, files, licence, KindOperations.For(ModelKind.Upscale),
            family.Upstream is { } upstream ? [upstream] : null, description, signature);
    }
}
