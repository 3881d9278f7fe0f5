using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;
using Grpc.Core;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Models;

/// <summary>Catalog entries, pull progress and results on the wire, and the status for each way a pull fails.</summary>
public static class PullWire
{
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

    /// <summary>The status and the request field at fault for each failure (documented with PullModel in the proto).</summary>
    public static (StatusCode Code, string Field) StatusFor(PullFailure failure) => failure switch
    {
        PullFailure.UnknownModel => (StatusCode.NotFound, "name"),
        PullFailure.LicenceNotAccepted => (StatusCode.FailedPrecondition, "accept_licence"),
        PullFailure.AlreadyRunning => (StatusCode.FailedPrecondition, "name"),
        PullFailure.AlreadyInstalled => (StatusCode.AlreadyExists, "name"),
        PullFailure.NotEnoughSpace or PullFailure.DiskFull => (StatusCode.ResourceExhausted, ""),
        PullFailure.NotFound => (StatusCode.NotFound, ""),
        PullFailure.Corrupt => (StatusCode.DataLoss, ""),
        PullFailure.BadMirror => (StatusCode.InvalidArgument, "mirror"),
        PullFailure.InstallRefused => (StatusCode.FailedPrecondition, "name"),
        _ => (StatusCode.Aborted, ""),
    };
}
