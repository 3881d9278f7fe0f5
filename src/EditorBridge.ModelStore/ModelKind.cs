namespace EditorBridge.ModelStore;

/// <summary>What a model is, which decides the engine that runs it.</summary>
public static class ModelKind
{
    /// <summary>A Stable Diffusion pipeline in the diffusers ONNX layout (the diffusion engine).</summary>
    public const string Diffusion = "diffusion";

    /// <summary>Image + mask → image, e.g. LaMa (the onnx engine).</summary>
    public const string Inpaint = "inpaint";

    /// <summary>Image → image k times larger, e.g. Real-ESRGAN.</summary>
    public const string Upscale = "upscale";

    /// <summary>Grey or luminance → colour.</summary>
    public const string Colorize = "colorize";

    /// <summary>Fast neural style: image → image in one fixed style.</summary>
    public const string Style = "style";

    /// <summary>Image (+ point or box) → mask.</summary>
    public const string Segment = "segment";

    public static IReadOnlyList<string> All { get; } = [Diffusion, Inpaint, Upscale, Colorize, Style, Segment];
}
