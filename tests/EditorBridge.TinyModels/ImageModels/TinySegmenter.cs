using EditorBridge.ModelStore;
using static Onnx.TensorProto.Types;

namespace EditorBridge.TinyModels.ImageModels;

/// <summary>
/// A salient-object segmenter with U²-Net's ONNX signature as rembg ships it (u2net.onnx): "input.1" float
/// [1,3,320,320] RGB 0..1 normalised with ImageNet mean/std → "1959" float [1,1,320,320] 0..1 (the first
/// of its side outputs). It calls bright pixels the subject: sigmoid of 8 × the mean normalised channel.
/// </summary>
public static class TinySegmenter
{
    public const int Side = 320;

    public static ModelSignature Signature() => new(
        TinyModelFolder.ModelFile,
        [new TensorDescription("input.1", "image", [1, 3, Side, Side], Range: [0, 1], Mean: [0.485, 0.456, 0.406], Std: [0.229, 0.224, 0.225])],
        [new TensorDescription("1959", "mask", [1, 1, Side, Side], Range: [0, 1], Channels: "l")],
        FixedSize: Side);

    public static TinyGraph Graph() => new TinyGraph("tiny-segmenter")
        .Input("input.1", DataType.Float, 1, 3, Side, Side)
        .Output("1959", DataType.Float, 1, 1, Side, Side)
        .Weight("mean", [8f / 3, 8f / 3, 8f / 3], 1, 3, 1, 1)
        .Node("Conv", ["input.1", "mean"], ["logit"])
        .Node("Sigmoid", ["logit"], ["1959"]);

    public static ModelManifest Write(string directory, string name = "tiny-segmenter") =>
        TinyModelFolder.Write(directory, name, ModelKind.Segment, "segment", Graph(), Signature(), "U²-Net-signature test segmenter (bright = subject)");
}
