namespace EditorBridge.Engines;

/// <summary>
/// What an engine produced: an image the size of the work area, the device that ran it, the
/// model's hash if it used one, and any parameters it resolved itself (for example
/// <c>method=auto</c> → the method it chose), which the daemon records in the provenance.
/// <see cref="Mask"/>: a selection the operation found (segment), the work image's size, 0..255
/// coverage; the daemon returns it in canvas coordinates as the job's mask.
/// <see cref="Device"/> names the execution provider that really ran (<c>cpu</c>, <c>cuda:0</c>,
/// <c>directml:0</c>), after any fallback.
/// </summary>
public sealed record EngineOutput(EngineImage Image, string Device, string ModelHash = "", IReadOnlyDictionary<string, object>? ResolvedParameters = null, EngineMask? Mask = null)
{
    /// <summary>Name of the installed model that served the job; empty when it used none.</summary>
    public string ModelName { get; init; } = "";

    /// <summary>The control types that steered the result (e.g. <c>lineart</c>, <c>depth</c>: the painter's control layers); empty when none.</summary>
    public IReadOnlyList<string> Controls { get; init; } = [];
}
