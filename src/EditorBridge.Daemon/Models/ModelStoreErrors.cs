using EditorBridge.Daemon.Core;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Pull;

namespace EditorBridge.Daemon.Models;

/// <summary>The daemon's error kind (and the request field at fault) for each way the model store or a pull refuses.</summary>
public static class ModelStoreErrors
{
    public static DaemonError ErrorFor(ModelStoreError error) => error switch
    {
        ModelStoreError.NotFound => DaemonError.NotFound,
        ModelStoreError.AlreadyExists => DaemonError.AlreadyExists,
        ModelStoreError.Busy => DaemonError.Aborted,
        ModelStoreError.TooLarge => DaemonError.OverLimit,
        _ => DaemonError.Invalid,
    };

    /// <summary>The refusal as a request error on <paramref name="field"/>; the store's message already names the model.</summary>
    public static RequestException ToRequestException(ModelStoreException e, string field) =>
        new(ErrorFor(e.Error), field, e.Message);

    /// <summary>The error kind and the request field at fault for each way a pull fails (documented with PullModel in the proto).</summary>
    public static (DaemonError Error, string Field) ErrorFor(PullFailure failure) => failure switch
    {
        PullFailure.UnknownModel => (DaemonError.NotFound, "name"),
        PullFailure.LicenceNotAccepted => (DaemonError.Precondition, "accept_licence"),
        PullFailure.AlreadyRunning => (DaemonError.Precondition, "name"),
        PullFailure.AlreadyInstalled => (DaemonError.AlreadyExists, "name"),
        PullFailure.NotEnoughSpace or PullFailure.DiskFull => (DaemonError.OverLimit, ""),
        PullFailure.NotFound => (DaemonError.NotFound, ""),
        PullFailure.Corrupt => (DaemonError.Corrupt, ""),
        PullFailure.BadMirror => (DaemonError.Invalid, "mirror"),
        PullFailure.InstallRefused => (DaemonError.Precondition, "name"),
        _ => (DaemonError.Aborted, ""),
    };
}
