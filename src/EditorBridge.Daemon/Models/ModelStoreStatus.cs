using EditorBridge.Daemon.Services;
using EditorBridge.ModelStore;
using Grpc.Core;

namespace EditorBridge.Daemon.Models;

/// <summary>The gRPC status for each way the model store refuses.</summary>
public static class ModelStoreStatus
{
    public static StatusCode CodeFor(ModelStoreError error) => error switch
    {
        ModelStoreError.NotFound => StatusCode.NotFound,
        ModelStoreError.AlreadyExists => StatusCode.AlreadyExists,
        ModelStoreError.Busy => StatusCode.Aborted,
        ModelStoreError.TooLarge => StatusCode.ResourceExhausted,
        _ => StatusCode.InvalidArgument,
    };

    /// <summary>The refusal as a request error on <paramref name="field"/>; the store's message already names the model.</summary>
    public static RequestException ToRequestException(ModelStoreException e, string field) =>
        new(CodeFor(e.Error), field, e.Message);
}
