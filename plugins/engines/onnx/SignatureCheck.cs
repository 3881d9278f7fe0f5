using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Does a manifest's signature describe what the engine needs for the model's kind, and does it match
/// the ONNX graph (names, ranks, fixed dimensions, element types)? One sentence per problem, naming the
/// model, the tensor and the difference.
/// </summary>
internal static class SignatureCheck
{
    private static readonly string[] PictureChannels = ["rgb", "bgr", "l", "ab"];

    /// <summary>What the kind needs: the roles of inputs and outputs the engine feeds and reads.</summary>
    public static IEnumerable<string> Roles(string model, string kind, ModelSignature signature)
    {
        var (inputs, outputs) = kind switch
        {
            ModelKind.Inpaint => (new[] { new[] { "image" }, new[] { "mask" } }, new[] { "image" }),
            ModelKind.Colorize => (new[] { new[] { "luminance", "image" } }, new[] { "chroma", "image" }),
            ModelKind.Segment => (new[] { new[] { "image" } }, new[] { "mask" }),
            _ => (new[] { new[] { "image" } }, new[] { "image" }),
        };
        foreach (var roles in inputs.Where(roles => !signature.Inputs.Any(i => roles.Contains(i.Role))))
            yield return $"model '{model}' ({kind}): its manifest signature has no input with role {Either(roles)}";
        if (!signature.Outputs.Any(o => outputs.Contains(o.Role)))
            yield return $"model '{model}' ({kind}): its manifest signature has no output with role {Either(outputs)}";
        foreach (var tensor in signature.Inputs.Concat(signature.Outputs))
        {
            if (!PictureChannels.Contains(tensor.Channels))
                yield return $"model '{model}': tensor '{tensor.Name}' has channels '{tensor.Channels}'; known: {string.Join(", ", PictureChannels)}";
            if (tensor.Shape.Count != 4)
                yield return $"model '{model}': tensor '{tensor.Name}' has {tensor.Shape.Count} dimensions in its manifest; pictures are [batch, channels, height, width]";
            if (ElementType(tensor.DataType) is null)
                yield return $"model '{model}': tensor '{tensor.Name}' has data type '{tensor.DataType}'; known: float32, float16, uint8, int64";
        }
    }

    /// <summary>The signature against the graph's own inputs and outputs.</summary>
    public static IEnumerable<string> Against(string model, ModelSignature signature, InferenceSession session)
    {
        foreach (var problem in Compare(model, "input", signature.Inputs, session.InputMetadata))
            yield return problem;
        foreach (var problem in Compare(model, "output", signature.Outputs, session.OutputMetadata))
            yield return problem;
        foreach (var name in session.InputMetadata.Keys.Where(n => signature.Inputs.All(i => i.Name != n)))
            yield return $"model '{model}': the ONNX file takes input '{name}', which its manifest signature does not describe";
    }

    private static IEnumerable<string> Compare(string model, string side, IReadOnlyList<TensorDescription> described, IReadOnlyDictionary<string, NodeMetadata> graph)
    {
        foreach (var tensor in described)
        {
            if (!graph.TryGetValue(tensor.Name, out var actual))
            {
                yield return $"model '{model}': the ONNX file has no {side} '{tensor.Name}' (its {side}s: {string.Join(", ", graph.Keys.Select(k => $"'{k}'"))})";
                continue;
            }

            if (ElementType(tensor.DataType) is { } type && actual.IsTensor && actual.ElementDataType != type)
                yield return $"model '{model}': {side} '{tensor.Name}' is {Name(actual.ElementDataType)} in the ONNX file but {tensor.DataType} in its manifest";
            var dims = actual.Dimensions;
            if (dims.Length != tensor.Shape.Count)
            {
                yield return $"model '{model}': {side} '{tensor.Name}' has {dims.Length} dimensions in the ONNX file but {tensor.Shape.Count} in its manifest";
                continue;
            }

            for (int d = 0; d < dims.Length; d++)
            {
                if (dims[d] > 0 && tensor.Shape[d] > 0 && dims[d] != tensor.Shape[d])
                    yield return $"model '{model}': {side} '{tensor.Name}' dimension {d} is {dims[d]} in the ONNX file but {tensor.Shape[d]} in its manifest";
            }
        }
    }

    internal static TensorElementType? ElementType(string dataType) => dataType switch
    {
        "float32" => TensorElementType.Float,
        "float16" => TensorElementType.Float16,
        "uint8" => TensorElementType.UInt8,
        "int64" => TensorElementType.Int64,
        _ => null,
    };

    private static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int64 => "int64",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Either(string[] roles) => string.Join(" or ", roles.Select(r => $"'{r}'"));
}
