using Grpc.Core;

namespace EditorBridge.Protocol;

/// <summary>
/// How a job id names the daemon that runs it, so a balancer in front of several daemons can send a
/// CancelJob by id to that daemon. A daemon with a backend name (<c>serve --backend-name NAME</c>,
/// settings "Remote": { "BackendName" }) makes ids <c>NAME.job-…</c>; gRPC clients send NAME as the
/// <see cref="Header"/> metadata with CancelJob, and the JSON cancel carries it in its path
/// (<c>/v1/jobs/NAME.job-…/cancel</c>). deploy/nginx maps either to that daemon's address.
/// </summary>
public static class BackendRoute
{
    /// <summary>The metadata (HTTP/2 header) naming the backend a call must reach.</summary>
    public const string Header = "editorbridge-backend";

    /// <summary>Between the backend name and the daemon's own id; never part of a name.</summary>
    public const char Separator = '.';

    public const int MaxNameLength = 32;

    /// <summary>Lowercase ASCII letters, digits and '-', 1 to 32 of them (safe in a header, a URL path and an nginx map).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>The id a client sees: <paramref name="localId"/>, behind the backend's name when it has one.</summary>
    public static string JobId(string? backend, string localId) =>
        string.IsNullOrEmpty(backend) ? localId : backend + Separator + localId;

    /// <summary>The backend a job id names, or null for an id without one.</summary>
    public static string? BackendOf(string? jobId)
    {
        int at = jobId?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        return at > 0 && IsValidName(jobId![..at]) ? jobId[..at] : null;
    }

    /// <summary>The headers for a call about <paramref name="jobId"/>: the backend's name, or none.</summary>
    public static Metadata? HeadersFor(string? jobId) =>
        BackendOf(jobId) is { } backend ? new Metadata { { Header, backend } } : null;
}
