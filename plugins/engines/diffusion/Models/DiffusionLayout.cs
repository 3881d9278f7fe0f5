namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>Where the parts of a diffusers ONNX export live inside the model's folder.</summary>
internal static class DiffusionLayout
{
    public const string ModelIndex = "model_index.json";
    public const string TextEncoder = "text_encoder";
    public const string TextEncoder2 = "text_encoder_2";
    public const string Unet = "unet";
    public const string VaeEncoder = "vae_encoder";
    public const string VaeDecoder = "vae_decoder";
    public const string ControlNet = "controlnet";
    public const string Tokenizer = "tokenizer";
    public const string Tokenizer2 = "tokenizer_2";
    public const string Graph = "model.onnx";

    public static string GraphPath(string modelDirectory, string component) => Path.Combine(modelDirectory, component, Graph);

    public static string Relative(string component) => $"{component}/{Graph}";
}
