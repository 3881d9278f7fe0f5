namespace EditorBridge.Engines;

/// <summary>An operation an engine offers, with its parameters and working-size needs.</summary>
/// <param name="RequiresMask">The operation needs a selection (fill does).</param>
/// <param name="MaxWorkingSide">Largest side the engine wants to see; the daemon scales the work area down to it (0 = any).</param>
/// <param name="SizeMultiple">The work area's sides are scaled to a multiple of this (1 = any).</param>
/// <param name="Inputs">Extra pictures the operation takes (none when null).</param>
/// <param name="OutputScaleParameter">
/// Name of an Integer parameter k: the engine answers an image k times the work area's size (an
/// upscale). The daemon accepts k &gt; 1 only for whole-layer jobs and returns a layer k times larger,
/// at k times the offset. Null: the answer is always the work area's size.
/// </param>
public sealed record OperationDescriptor(
    string Name,
    string Description,
    IReadOnlyList<ParameterDescriptor> Parameters,
    bool RequiresMask = false,
    int MaxWorkingSide = 0,
    int SizeMultiple = 1,
    IReadOnlyList<InputDescriptor>? Inputs = null,
    string? OutputScaleParameter = null)
{
    public IReadOnlyList<InputDescriptor> DeclaredInputs => Inputs ?? [];

    /// <summary>Installed models that can serve this operation, default first (empty for engines without models).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
}
