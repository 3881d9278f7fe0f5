namespace EditorBridge.PaintDotNet.Core;

/// <summary>What went wrong, so the dialog can say what to do about it.</summary>
public enum ProblemKind
{
    /// <summary>Nothing (or, for operations that need surroundings, everything) is selected.</summary>
    SelectRegionFirst,

    /// <summary>No daemon runs and no <c>editorbridge</c> program was found to start one.</summary>
    DaemonNotInstalled,

    /// <summary>A daemon should be there but does not answer, or would not start.</summary>
    DaemonUnreachable,

    /// <summary>No installed engine offers the operation.</summary>
    OperationUnavailable,

    /// <summary>The area to send is over the daemon's limits.</summary>
    TooLarge,

    /// <summary>The daemon refused the request or the engine failed.</summary>
    JobFailed,
}
