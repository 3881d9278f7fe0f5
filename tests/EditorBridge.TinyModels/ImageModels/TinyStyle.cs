using EditorBridge.ModelStore;
using static Onnx.TensorProto.Types;

namespace EditorBridge.TinyModels.ImageModels;

/// <summary>
/// A fast neural style model with the ONNX model zoo's signature (vision/style_transfer/fast_neural_style,
/// e.g. mosaic-9.onnx: "input1" float [1,3,224,224] RGB 0..255 → "output1" float [1,3,224,224] RGB 0..255).
/// Its "style" is a 3×3 blur followed by a colour matrix, one matrix per style.
/// </summary>
public static class TinyStyle
{
    public const int Side = 224;

    public static readonly float[] Sepia = [0.393f, 0.769f, 0.189f, 0.349f, 0.686f, 0.168f, 0.272f, 0.534f, 0.131f];

    public static readonly float[] Cool = [0.6f, 0.1f, 0.1f, 0.1f, 0.7f, 0.2f, 0.1f, 0.2f, 0.9f];

    public static ModelSignature Signature() => new(
        TinyModelFolder.ModelFile,
        [new TensorDescription("input1", "image", [1, 3, Side, Side], Range: [0, 255])],
        [new TensorDescription("output1", "image", [1, 3, Side, Side], Range: [0, 255])],
        FixedSize: Side,
        TileOverlap: 32);

    public static TinyGraph Graph(float[] colourMatrix)
    {
        var kernel = new float[3 * 3 * 3 * 3];
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < 9; k++)
                    kernel[(o * 3 + i) * 9 + k] = colourMatrix[o * 3 + i] * (k == 4 ? 0.5f : 0.0625f);
        return new TinyGraph("tiny-style")
            .Input("input1", DataType.Float, 1, 3, Side, Side)
            .Output("output1", DataType.Float, 1, 3, Side, Side)
            .Weight("kernel", kernel, 3, 3, 3, 3)
            .Node("Conv", ["input1", "kernel"], ["output1"], ("pads", new long[] { 1, 1, 1, 1 }));
    }

    public static ModelManifest Write(string directory, string name, float[] colourMatrix) =>
        TinyModelFolder.Write(directory, name, ModelKind.Style, "stylize", Graph(colourMatrix), Signature(), $"fast-neural-style-signature test model ({name})");
}
