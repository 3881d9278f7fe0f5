using EditorBridge.ModelStore;
using static Onnx.TensorProto.Types;

namespace EditorBridge.TinyModels.ImageModels;

/// <summary>
/// A colorizer with the signature of Zhang et al.'s ECCV16 network as OpenVINO's Open Model Zoo
/// ships it (colorization-v2): "data_l" float [1,1,256,256], Lab lightness centred (L − 50) →
/// "color_ab" float [1,2,256,256], Lab a and b. Its colours are a 1×1 convolution of lightness:
/// warm highlights, cool shadows.
/// </summary>
public static class TinyColorizer
{
    public const int Side = 256;

    public static ModelSignature Signature() => new(
        TinyModelFolder.ModelFile,
        [new TensorDescription("data_l", "luminance", [1, 1, Side, Side], Range: [0, 100], Channels: "l", Mean: [50])],
        [new TensorDescription("color_ab", "chroma", [1, 2, Side, Side], Range: [-128, 128], Channels: "ab")],
        FixedSize: Side);

    public static TinyGraph Graph() => new TinyGraph("tiny-colorizer")
        .Input("data_l", DataType.Float, 1, 1, Side, Side)
        .Output("color_ab", DataType.Float, 1, 2, Side, Side)
        .Weight("mix", [0.3f, 0.6f], 2, 1, 1, 1)
        .Weight("bias", [12f, 8f], 2)
        .Node("Conv", ["data_l", "mix", "bias"], ["color_ab"]);

    public static ModelManifest Write(string directory, string name = "tiny-colorizer") =>
        TinyModelFolder.Write(directory, name, ModelKind.Colorize, "colorize", Graph(), Signature(), "ECCV16-signature test colorizer (chroma from lightness)");
}
