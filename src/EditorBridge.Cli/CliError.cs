using EditorBridge.Client;
using Grpc.Core;

namespace EditorBridge.Cli;

/// <summary>Turns any failure into one line on stderr and an exit code; never a stack trace.</summary>
public static class CliError
{
    public static int Report(Exception e, TextWriter error)
    {
        var (code, message) = Describe(e);
        error.WriteLine($"editorbridge: error: {message}");
        return code;
    }

    public static (int Code, string Message) Describe(Exception e) => e switch
    {
        UsageException u => (ExitCodes.Usage, u.Message),
        Images.DamagedPictureException d => (ExitCodes.Usage, $"damaged picture: {d.Message}"),
        Images.TooLargeException t => (ExitCodes.Refused, $"too large: {t.Message}"),
        DaemonUnavailableException d => (ExitCodes.DaemonUnavailable, d.Message),
        RpcException { StatusCode: StatusCode.Cancelled } r => (ExitCodes.Cancelled, $"cancelled: {r.Status.Detail}"),
        RpcException { StatusCode: StatusCode.Unavailable } r => (ExitCodes.DaemonUnavailable, $"the daemon stopped answering ({r.Status.Detail}); run 'editorbridge doctor'"),
        RpcException r => (ExitCodes.Refused, $"{Name(r.StatusCode)}: {r.Status.Detail}"),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        FileNotFoundException f => (ExitCodes.Usage, $"file not found: {f.FileName}"),
        DirectoryNotFoundException d => (ExitCodes.Usage, $"file not found: {d.Message.Replace("Could not find a part of the path ", "")}"),
        SixLabors.ImageSharp.UnknownImageFormatException u => (ExitCodes.Usage, $"not a picture this tool can read: {u.Message}"),
        SixLabors.ImageSharp.InvalidImageContentException i => (ExitCodes.Usage, $"damaged picture: {i.Message}"),
        InvalidDataException d => (ExitCodes.Usage, d.Message),
        UnauthorizedAccessException u => (ExitCodes.Failed, u.Message),
        IOException io => (ExitCodes.Failed, io.Message),
        _ => (ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}"),
    };

    private static string Name(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => "invalid request",
        StatusCode.Unauthenticated => "not authenticated",
        StatusCode.PermissionDenied => "permission denied",
        StatusCode.ResourceExhausted => "too large",
        StatusCode.NotFound => "not found",
        StatusCode.FailedPrecondition => "not possible now",
        StatusCode.DeadlineExceeded => "took too long",
        StatusCode.AlreadyExists => "already exists",
        StatusCode.DataLoss => "damaged download",
        StatusCode.Aborted => "interrupted",
        _ => code.ToString(),
    };
}
