using EditorBridge.ModelStore;
using static Onnx.TensorProto.Types;

namespace EditorBridge.TinyModels.ImageModels;

/// <summary>
/// An inpainter with LaMa's ONNX signature as exported in Carve/LaMa-ONNX (huggingface.co/Carve/LaMa-ONNX,
/// lama_fp32.onnx): "image" float [1,3,512,512] RGB 0..1, "mask" float [1,1,512,512] 1 = hole → "output"
/// float [1,3,512,512] RGB 0..255. It fills the hole with the average of the known pixels in a 31×31
/// window (normalised convolution), keeps known pixels.
/// </summary>
public static class TinyLama
{
    public const int Side = 512;
    private const int Window = 31;

    public static ModelSignature Signature(int side = Side) => new(
        TinyModelFolder.ModelFile,
        [
            new TensorDescription("image", "image", [1, 3, side, side], Range: [0, 1]),
            new TensorDescription("mask", "mask", [1, 1, side, side], Range: [0, 1], Channels: "l"),
        ],
        [new TensorDescription("output", "image", [1, 3, side, side], Range: [0, 255])],
        FixedSize: side);

    public static TinyGraph Graph(int side = Side)
    {
        var ones = Enumerable.Repeat(1f, 3 * Window * Window).ToArray();
        var pads = new long[] { Window / 2, Window / 2, Window / 2, Window / 2 };
        return new TinyGraph("tiny-lama")
            .Input("image", DataType.Float, 1, 3, side, side)
            .Input("mask", DataType.Float, 1, 1, side, side)
            .Output("output", DataType.Float, 1, 3, side, side)
            .Weight("one", [1f], 1)
            .Weight("tiny", [1e-6f], 1)
            .Weight("full", [255f], 1)
            .Weight("box", ones, 3, 1, Window, Window)
            .Weight("box1", Enumerable.Repeat(1f, Window * Window).ToArray(), 1, 1, Window, Window)
            .Node("Sub", ["one", "mask"], ["known"])
            .Node("Mul", ["image", "known"], ["kept"])
            .Node("Conv", ["kept", "box"], ["sum"], ("group", 3L), ("pads", pads))
            .Node("Conv", ["known", "box1"], ["count"], ("pads", pads))
            .Node("Add", ["count", "tiny"], ["count_safe"])
            .Node("Div", ["sum", "count_safe"], ["average"])
            .Node("Mul", ["average", "mask"], ["filled"])
            .Node("Add", ["kept", "filled"], ["unit"])
            .Node("Mul", ["unit", "full"], ["output"]);
    }

    public static ModelManifest Write(string directory, string name = "tiny-lama", int side = Side) =>
        TinyModelFolder.Write(directory, name, ModelKind.Inpaint, "fill", Graph(side), Signature(side), "LaMa-signature test inpainter (local average of known pixels)");
}
