using EditorBridge.TinyModels;
using static Onnx.TensorProto.Types;

namespace EditorBridge.Inference.Tests;

/// <summary>Small ONNX files the session tests open.</summary>
internal static class TinyModelFiles
{
    /// <summary>y = 2x on a [batch, 3] float tensor.</summary>
    public static string Double(string directory, string name = "double.onnx")
    {
        var path = Path.Combine(directory, name);
        new TinyGraph("double")
            .Input("x", DataType.Float, "batch", 3)
            .Output("y", DataType.Float, "batch", 3)
            .Weight("two", [2f], 1)
            .Node("Mul", ["x", "two"], ["y"])
            .Save(path);
        return path;
    }
}
