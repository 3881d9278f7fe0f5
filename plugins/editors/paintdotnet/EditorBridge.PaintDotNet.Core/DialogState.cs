namespace EditorBridge.PaintDotNet.Core;

/// <summary>Where the dialog stands.</summary>
public enum DialogState
{
    /// <summary>Finding (or starting) the daemon and asking what it offers.</summary>
    Connecting,

    /// <summary>Settings can be edited and OK runs the job.</summary>
    Ready,

    /// <summary>The job runs; only Cancel works.</summary>
    Running,

    /// <summary>The result is cached and on the clipboard; the dialog closes with OK.</summary>
    Succeeded,

    /// <summary>The painter cancelled the job; nothing changed; OK runs it again.</summary>
    Cancelled,

    /// <summary>The job failed; the message says why; OK tries again.</summary>
    Failed,

    /// <summary>Nothing can run: no daemon, no engine for the operation, or no usable selection.</summary>
    Unavailable,
}
