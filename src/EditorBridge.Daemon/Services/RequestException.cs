using Grpc.Core;

namespace EditorBridge.Daemon.Services;

/// <summary>A request the daemon refuses: the status to answer with and the field at fault.</summary>
public sealed class RequestException : Exception
{
    public RequestException(StatusCode code, string field, string message)
        : base(string.IsNullOrEmpty(field) ? message : $"{field}: {message}")
    {
        Code = code;
        Field = field;
    }

    public StatusCode Code { get; }

    public string Field { get; }

    public static RequestException Invalid(string field, string message) => new(StatusCode.InvalidArgument, field, message);
}
