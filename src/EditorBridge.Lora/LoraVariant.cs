using System.Globalization;
using EditorBridge.ModelStore;

namespace EditorBridge.Lora;

/// <summary>
/// Makes a new model from an installed diffusion model and a LoRA file, merged into the weights at
/// the chosen strength: the base's files are copied into staging, each component the LoRA changes
/// (unet, text_encoder, text_encoder_2) is merged there, and the result is installed through the
/// store's usual check (every engine's CheckModel) as a model of its own, with its own hash and a
/// manifest naming the base and the LoRA. Merging at import costs disk (a copy of the changed graphs'
/// weights) but nothing per job: the sessions load plain weights, any provider runs them, and the
/// result is reproducible by hash. The installed base is never written.
/// </summary>
public static class LoraVariant
{
    public const double MaxStrength = 4;

    public static (InstalledModel Model, int Merged, IReadOnlyList<string> Unmatched) Import(
        ModelStore.ModelStore store, string baseName, string loraPath, double strength, string? name, bool replace,
        Func<string, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        var baseModel = store.Find(baseName) ?? throw new ModelStoreException(baseName, ModelStoreError.NotFound, $"Model '{baseName}' is not installed.");
        if (baseModel.Manifest.Kind != ModelKind.Diffusion)
            throw Refused(name ?? baseName, $"'{baseName}' is a {baseModel.Manifest.Kind} model; a LoRA applies to a diffusion model");
        if (!double.IsFinite(strength) || strength <= 0 || strength > MaxStrength)
            throw Refused(name ?? baseName, $"strength {strength.ToString(CultureInfo.InvariantCulture)}: must be above 0 and at most {MaxStrength}");
        LoraFile lora;
        try
        {
            lora = LoraFile.Load(loraPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Refused(name ?? baseName, e.Message);
        }

        var variantName = name ?? DefaultName(baseName, loraPath, strength);
        ModelName.Validate(variantName);
        if (lora.Modules.Count == 0)
            throw Refused(variantName, $"{Path.GetFileName(loraPath)} holds no LoRA pairs (kohya lora_down/lora_up or diffusers lora_A/lora_B); its keys include {Few(lora.IgnoredKeys)}");

        var staging = store.NewStagingDirectory(variantName);
        try
        {
            foreach (var file in baseModel.Manifest.Files)
            {
                var target = ModelPath.Combine(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(ModelPath.Combine(baseModel.Directory, file.Path), target);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var merged = new List<string>();
            foreach (var component in lora.Modules.GroupBy(m => m.Component))
            {
                var graph = Path.Combine(staging, component.Key, "model.onnx");
                if (File.Exists(graph))
                    merged.AddRange(LoraGraphMerge.Apply(graph, component.ToList(), strength).Select(m => $"{component.Key}:{m}"));
            }

            var unmatched = lora.Modules.Select(m => $"{m.Component}:{m.Module}").Except(merged).ToList();
            if (merged.Count == 0)
                throw Refused(variantName, $"none of the {lora.Modules.Count} modules of {Path.GetFileName(loraPath)} match a weight of '{baseName}' (e.g. {Few(unmatched)}): is it made for another model family?");

            var files = baseModel.Manifest.Files.Select(f => Hashed(staging, f.Path)).ToList();
            var manifest = baseModel.Manifest with
            {
                Name = variantName,
                Version = ModelImport.LocalVersion,
                Files = files,
                Description = $"{baseName} with the LoRA {Path.GetFileName(loraPath)} merged at strength {strength.ToString("0.###", CultureInfo.InvariantCulture)}",
                Variant = new ModelVariant(baseName, baseModel.Identity,
                    [.. baseModel.Manifest.Variant?.Loras ?? [], new LoraUse(Path.GetFileName(loraPath), FileDigest.Sha256(loraPath, cancellationToken), strength)]),
            };
            return (store.Install(staging, manifest, check, replace, cancellationToken), merged.Count, unmatched);
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static string DefaultName(string baseName, string loraPath, double strength)
    {
        var stem = ModelName.FromFolderName(Path.GetFileNameWithoutExtension(loraPath));
        var candidate = $"{baseName}-{stem}-{strength.ToString("0.##", CultureInfo.InvariantCulture)}";
        return candidate.Length <= 64 ? candidate : candidate[..64].TrimEnd('-', '.', '_');
    }

    private static ModelFile Hashed(string folder, string relative)
    {
        var path = ModelPath.Combine(folder, relative);
        return new ModelFile(relative, new FileInfo(path).Length, FileDigest.Sha256(path));
    }

    private static string Few(IReadOnlyList<string> items) =>
        items.Count == 0 ? "nothing" : string.Join(", ", items.Take(3).Select(i => $"'{i}'")) + (items.Count > 3 ? $" and {items.Count - 3} more" : "");

    private static ModelStoreException Refused(string name, string problem) =>
        new(name, ModelStoreError.Invalid, $"Model '{name}' was not made: {problem}.");
}
