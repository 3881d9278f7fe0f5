namespace EditorBridge.PaintDotNet.Core;

/// <summary>A failure the painter can act on; <see cref="Exception.Message"/> says what to do, in plain words.</summary>
public sealed class EditorBridgeProblem(ProblemKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ProblemKind Kind { get; } = kind;

    public static EditorBridgeProblem SelectRegionFirst(string why) =>
        new(ProblemKind.SelectRegionFirst, $"Select a region first: {why}");
}
