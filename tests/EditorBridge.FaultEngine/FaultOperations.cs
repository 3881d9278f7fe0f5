namespace EditorBridge.Stress.Faults;

/// <summary>
/// The fault engine's name and operations: compiled into the plugin (tests/EditorBridge.FaultEngine)
/// and into the harness that calls them (tests/EditorBridge.Stress).
/// </summary>
public static class FaultOperations
{
    public const string Name = "faults";

    /// <summary>Waits <c>steps</c> × <c>step_ms</c>, checking cancellation each step; returns the input.</summary>
    public const string Slow = "fault-slow";

    /// <summary>Throws an <see cref="InvalidOperationException"/>.</summary>
    public const string Throw = "fault-throw";

    /// <summary>Never returns and ignores its cancellation token.</summary>
    public const string Hang = "fault-hang";

    /// <summary>Returns a 1×1 picture whatever the work area.</summary>
    public const string WrongSize = "fault-wrong-size";

    /// <summary>Writes over every byte of its input image, then returns it inverted.</summary>
    public const string Scribble = "fault-scribble";

    /// <summary>Returns its input untouched (no selection needed).</summary>
    public const string Echo = "fault-echo";
}
