namespace EditorBridge.ModelStore;

/// <summary>Why the store refused: callers map it to a status (gRPC code, CLI exit code).</summary>
public enum ModelStoreError
{
    /// <summary>The manifest, the folder or a file in it is wrong (missing, wrong size or hash, bad path, unknown kind).</summary>
    Invalid,

    /// <summary>No model of that name is installed.</summary>
    NotFound,

    /// <summary>A model of that name is already installed and replacing was not asked for.</summary>
    AlreadyExists,

    /// <summary>An engine that runs models of this kind refused it (e.g. the signature does not match the graph).</summary>
    CheckFailed,

    /// <summary>Another process holds the store's lock for too long.</summary>
    Busy,

    /// <summary>The model does not fit (disk space, size limits).</summary>
    TooLarge,
}
