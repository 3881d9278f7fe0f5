using EditorBridge.Daemon.Core;
using Grpc.Core;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// The one place a core error kind becomes a gRPC status code (JSON transcoding turns that into
/// the HTTP status). The statuses are the contract's: documented per call in the proto.
/// </summary>
public static class ErrorCodes
{
    public static StatusCode For(DaemonError error) => error switch
    {
        DaemonError.Invalid => StatusCode.InvalidArgument,
        DaemonError.NotFound => StatusCode.NotFound,
        DaemonError.AlreadyExists => StatusCode.AlreadyExists,
        DaemonError.Precondition => StatusCode.FailedPrecondition,
        DaemonError.OverLimit => StatusCode.ResourceExhausted,
        DaemonError.Aborted => StatusCode.Aborted,
        DaemonError.Corrupt => StatusCode.DataLoss,
        DaemonError.Cancelled => StatusCode.Cancelled,
        DaemonError.TimedOut => StatusCode.DeadlineExceeded,
        DaemonError.Forbidden => StatusCode.PermissionDenied,
        DaemonError.Internal => StatusCode.Internal,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "no status for this error kind"),
    };
}
