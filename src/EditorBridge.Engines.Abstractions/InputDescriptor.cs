namespace EditorBridge.Engines;

/// <summary>
/// An extra picture an operation takes besides the layer (request field <c>inputs.NAME</c>).
/// Well-known names: <see cref="Hints"/>, <see cref="Reference"/>, <see cref="Object"/>.
/// </summary>
/// <param name="Required">The operation refuses to run without it (the daemon checks before queueing).</param>
/// <param name="CanvasAligned">
/// True: a layer placed on the canvas like the main layer; the daemon cuts and scales it to the same
/// work area, so pixel (x, y) of the input lies over pixel (x, y) of the work image (transparent where
/// the input does not reach). False: a free picture (a reference), given whole, scaled down to fit
/// the operation's <see cref="OperationDescriptor.MaxWorkingSide"/> when it has one.
/// </param>
public sealed record InputDescriptor(string Name, string Description, bool Required = false, bool CanvasAligned = true)
{
    /// <summary>Colour hints or scribbles over the layer (colorize).</summary>
    public const string Hints = "hints";

    /// <summary>A picture whose look or palette to follow (stylize, colorize).</summary>
    public const string Reference = "reference";

    /// <summary>A pasted object layer whose alpha is its shape (compose).</summary>
    public const string Object = "object";
}
