namespace EditorBridge.Engines;

/// <summary>An operation an engine offers, with its parameters and working-size needs.</summary>
/// <param name="RequiresMask">The operation needs a selection (fill does).</param>
/// <param name="MaxWorkingSide">Largest side the engine wants to see; the daemon scales the work area down to it (0 = any).</param>
/// <param name="SizeMultiple">The work area's sides are scaled to a multiple of this (1 = any).</param>
public sealed record OperationDescriptor(
    string Name,
    string Description,
    IReadOnlyList<ParameterDescriptor> Parameters,
    bool RequiresMask = false,
    int MaxWorkingSide = 0,
    int SizeMultiple = 1);
