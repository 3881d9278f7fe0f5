using EditorBridge.ModelStore;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>Installed models on the wire.</summary>
public static class ModelWire
{
    public static Proto.ModelInfo ToWire(InstalledModel model)
    {
        var manifest = model.Manifest;
        var wire = new Proto.ModelInfo
        {
            Name = manifest.Name,
            Kind = manifest.Kind,
            Version = manifest.Version ?? "",
            Description = manifest.Description ?? "",
            SizeBytes = manifest.TotalSize,
            Identity = model.Identity,
            LicenceId = manifest.Licence.Id,
            LicenceUrl = manifest.Licence.Url ?? "",
            Directory = model.Directory,
            FileCount = manifest.Files.Count,
            LicenceRequiresAcceptance = manifest.Licence.RequiresAcceptance,
        };
        wire.Operations.AddRange(manifest.Operations);
        wire.Sources.AddRange(manifest.Sources ?? []);
        wire.SignatureNamesTaken.AddRange(model.SignatureNamesTaken.Select(taken => taken.ToString()));
        if (manifest.Variant is { } variant)
        {
            wire.BaseModel = variant.BaseModel;
            wire.Loras.AddRange(ToWire(variant.Loras));
        }

        return wire;
    }

    public static IEnumerable<Proto.LoraUse> ToWire(IEnumerable<LoraUse> loras) =>
        loras.Select(l => new Proto.LoraUse { File = l.File, Sha256 = l.Sha256, Strength = l.Strength });
}
