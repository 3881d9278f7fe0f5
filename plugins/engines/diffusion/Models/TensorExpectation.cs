using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>A graph input or output the engine feeds or reads: one of its names, its rank range and the dtypes it handles.</summary>
internal sealed record TensorExpectation(IReadOnlyList<string> Names, int MinRank, int MaxRank, IReadOnlyList<TensorElementType> Types)
{
    public static readonly TensorElementType[] Floats = [TensorElementType.Float, TensorElementType.Float16];

    public static TensorExpectation Float(string name, int rank) => new([name], rank, rank, Floats);

    public string Describe() => string.Join(" or ", Names.Select(n => $"'{n}'"));

    public static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.Double => "float64",
        _ => type.ToString().ToLowerInvariant(),
    };
}
