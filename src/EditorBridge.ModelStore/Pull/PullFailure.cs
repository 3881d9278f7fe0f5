namespace EditorBridge.ModelStore.Pull;

/// <summary>Why a pull stopped; the daemon maps each to a gRPC status, the CLI to an exit code.</summary>
public enum PullFailure
{
    /// <summary>The name is not in the catalog.</summary>
    UnknownModel,

    /// <summary>The licence needs explicit acceptance, which the request did not give.</summary>
    LicenceNotAccepted,

    /// <summary>Another pull of the same model is running (this or another process).</summary>
    AlreadyRunning,

    /// <summary>Not enough free disk space for what is left to download (checked first).</summary>
    NotEnoughSpace,

    /// <summary>The disk filled up while writing.</summary>
    DiskFull,

    /// <summary>The server or mirror has no such file (HTTP 404/410, or missing in a mirror folder).</summary>
    NotFound,

    /// <summary>The server refused or failed (an HTTP error status) after the retries.</summary>
    ServerError,

    /// <summary>No connection, or the connection stalled or broke, after the retries.</summary>
    Network,

    /// <summary>The bytes are not the published ones (size or SHA-256); they were discarded, nothing installed.</summary>
    Corrupt,

    /// <summary>The mirror setting is neither an http(s) URL nor an existing folder.</summary>
    BadMirror,

    /// <summary>A model of that name is installed with another version; remove it first.</summary>
    AlreadyInstalled,

    /// <summary>The downloaded model failed the store's or an engine's check at install.</summary>
    InstallRefused,
}
