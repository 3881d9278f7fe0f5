namespace EditorBridge.Daemon.Core;

/// <summary>
/// The ways the daemon's core refuses a request or fails a job, in its own words. The transport
/// edge maps each to one status (<c>Wire/ErrorCodes</c>: gRPC status codes, and through JSON
/// transcoding HTTP statuses); nothing in the core knows those codes.
/// </summary>
public enum DaemonError
{
    /// <summary>The request is wrong: a bad, missing or unknown field.</summary>
    Invalid,

    /// <summary>Something the request names does not exist (a job, a blob, an engine, a model, a file).</summary>
    NotFound,

    /// <summary>Something the request would create exists already.</summary>
    AlreadyExists,

    /// <summary>The request is valid, but what it needs is not in the state to serve it (a job already ended, no engine offers the operation).</summary>
    Precondition,

    /// <summary>Over a size, memory or budget limit.</summary>
    OverLimit,

    /// <summary>Stopped part-way by something else (the model store busy, a download that failed).</summary>
    Aborted,

    /// <summary>Data arrived damaged (a download whose hash does not match).</summary>
    Corrupt,

    /// <summary>The client, CancelJob or the daemon's shutdown cancelled the work.</summary>
    Cancelled,

    /// <summary>The work ran past its time limit.</summary>
    TimedOut,

    /// <summary>The caller may not do this (a studio user's token asking for an admin's call).</summary>
    Forbidden,

    /// <summary>The daemon or an engine failed; not the request's fault.</summary>
    Internal,
}
