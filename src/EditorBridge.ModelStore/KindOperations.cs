namespace EditorBridge.ModelStore;

/// <summary>The daemon operation a single-graph model of each kind serves.</summary>
public static class KindOperations
{
    /// <summary>The kinds that are one ONNX graph described by a signature (all but diffusion).</summary>
    public static IReadOnlyList<string> Kinds { get; } = [ModelKind.Inpaint, ModelKind.Upscale, ModelKind.Colorize, ModelKind.Style, ModelKind.Segment];

    public static IReadOnlyList<string> For(string kind) => kind switch
    {
        ModelKind.Inpaint => ["fill"],
        ModelKind.Upscale => ["restore"],
        ModelKind.Colorize => ["colorize"],
        ModelKind.Style => ["stylize"],
        ModelKind.Segment => ["segment"],
        _ => [],
    };
}
