using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// Float arrays to and from ONNX Runtime values in the dtype a graph declares: float32 is wrapped
/// without a copy, float16 (fp16 exports) is converted; integer inputs (ids, timesteps) likewise.
/// </summary>
internal static class TensorData
{
    public static OrtValue Floats(float[] values, long[] shape, TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(values, shape),
        TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(ToHalf(values), shape),
        _ => throw new InvalidOperationException($"a float tensor cannot be fed as {type}"),
    };

    /// <summary>A number (timestep) as the graph wants it: int64 rounded, float32 or float16.</summary>
    public static OrtValue Numbers(float[] values, long[] shape, TensorElementType type) => type switch
    {
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(values.Select(v => (long)Math.Round(v)).ToArray(), shape),
        _ => Floats(values, shape, type),
    };

    public static OrtValue Ids(int[] ids, long[] shape, TensorElementType type) => type switch
    {
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(ids, shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), shape),
        _ => throw new InvalidOperationException($"token ids cannot be fed as {type}"),
    };

    /// <summary>Copies a float32 or float16 output out as float32.</summary>
    public static float[] Read(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.Float)
            return value.GetTensorDataAsSpan<float>().ToArray();
        if (type != TensorElementType.Float16)
            throw new InvalidOperationException($"expected a float output, got {type}");
        var halves = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
        var result = new float[halves.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = (float)halves[i];
        return result;
    }

    public static long[] Shape(OrtValue value) => value.GetTensorTypeAndShape().Shape;

    private static Float16[] ToHalf(float[] values)
    {
        var result = new Float16[values.Length];
        var halves = MemoryMarshal.Cast<Float16, Half>(result.AsSpan());
        for (int i = 0; i < values.Length; i++)
            halves[i] = (Half)values[i];
        return result;
    }
}
