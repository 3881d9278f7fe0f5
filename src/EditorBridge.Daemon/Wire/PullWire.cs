using EditorBridge.Daemon.Models;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>Catalog entries, pull progress, results and failures on the wire.</summary>
public static class PullWire
{
    public static Proto.ListCatalogResponse ToWire(IEnumerable<CatalogItem> catalog)
    {
        var response = new Proto.ListCatalogResponse();
        response.Models.AddRange(catalog.Select(item => ToWire(item.Entry, item.Installed)));
        return response;
    }

    public static Proto.PullModelEvent ToWire(PullUpdate update) => update switch
    {
        PullUpdate.Progress p => new Proto.PullModelEvent { Progress = ToWire(p.Report) },
        PullUpdate.LicenceNeeded l => new Proto.PullModelEvent { LicenceNeeded = new Proto.LicenceNeeded { LicenceId = l.LicenceId, LicenceUrl = l.LicenceUrl } },
        PullUpdate.Failed f => new Proto.PullModelEvent { Error = new Proto.PullModelError { Code = (int)ErrorCodes.For(f.Error), Message = f.Message } },
        PullUpdate.Done d => new Proto.PullModelEvent { Done = ToWire(d.Result, d.Installed) },
        _ => throw new ArgumentOutOfRangeException(nameof(update), update.GetType().Name, "no message for this update"),
    };

    public static Proto.CatalogModel ToWire(CatalogEntry entry, InstalledModel? installed)
    {
        var wire = new Proto.CatalogModel
        {
            Name = entry.Name,
            Kind = entry.Kind,
            Version = entry.Version,
            Description = entry.Description,
            SizeBytes = entry.TotalSize,
            LicenceId = entry.Licence.Id,
            LicenceUrl = entry.Licence.Url ?? "",
            LicenceRequiresAcceptance = entry.Licence.RequiresAcceptance,
            ChecksumsPublished = !entry.TrustsOnFirstUse,
            Installed = installed is not null,
            InstalledVersion = installed?.Manifest.Version ?? "",
        };
        wire.Operations.AddRange(entry.Operations);
        return wire;
    }

    public static Proto.PullModelProgress ToWire(PullProgress progress) => new()
    {
        File = progress.File,
        BytesDone = progress.BytesDone,
        BytesTotal = progress.BytesTotal,
        BytesPerSecond = progress.BytesPerSecond,
        SecondsLeft = progress.SecondsLeft ?? -1,
    };

    public static Proto.PullModelDone ToWire(PullResult result, InstalledModel installed)
    {
        var done = new Proto.PullModelDone { Model = ModelWire.ToWire(installed with { SignatureNamesTaken = result.SignatureNamesTaken }), AlreadyInstalled = result.AlreadyInstalled };
        done.FirstUseHashes.AddRange(result.FirstUseHashes.Select(h => new Proto.FirstUseHash { File = h.File, Sha256 = h.Sha256, SizeBytes = h.Size, Url = h.Url }));
        return done;
    }
}
