namespace EditorBridge.Daemon.Core;

/// <summary>A request the daemon refuses: what kind of refusal, and the request field at fault (empty: none).</summary>
public sealed class RequestException : Exception
{
    public RequestException(DaemonError error, string field, string message)
        : base(string.IsNullOrEmpty(field) ? message : $"{field}: {message}")
    {
        Error = error;
        Field = field;
    }

    public DaemonError Error { get; }

    public string Field { get; }

    public static RequestException Invalid(string field, string message) => new(DaemonError.Invalid, field, message);
}
