namespace EditorBridge.ModelStore;

/// <summary>The diffusers ONNX export layout of a Stable Diffusion pipeline, as the diffusion engine reads it.</summary>
public static class DiffusersLayout
{
    public const string IndexFile = "model_index.json";

    public const string ControlNet = "controlnet/model.onnx";

    /// <summary>Files every diffusers ONNX folder needs (external weight files such as model.onnx_data come along when present).</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } =
    [
        IndexFile,
        "text_encoder/model.onnx",
        "unet/model.onnx",
        "vae_encoder/model.onnx",
        "vae_decoder/model.onnx",
        "tokenizer/vocab.json",
        "tokenizer/merges.txt",
    ];

    public static bool Looks(string directory) => File.Exists(Path.Combine(directory, IndexFile));

    /// <summary>The required files missing from <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Missing(string directory) =>
        [.. RequiredFiles.Where(f => !File.Exists(ModelPath.Combine(directory, f)))];

    /// <summary>What a diffusion pipeline serves: colorize needs a line-art ControlNet; fill works with any UNet.</summary>
    public static IReadOnlyList<string> Operations(string directory) =>
        File.Exists(ModelPath.Combine(directory, ControlNet))
            ? ["generate", "fill", "colorize", "restore", "stylize", "compose"]
            : ["generate", "fill", "restore", "stylize", "compose"];
}
