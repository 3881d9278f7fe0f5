using System.Buffers.Binary;
using Google.Protobuf;
using EditorBridge.ModelStore;
using Onnx;

namespace EditorBridge.Lora;

/// <summary>
/// Merges LoRA pairs into one ONNX graph file in place (a staged copy, never an installed model):
/// W ← W + scale · up · down for every module the graph has. A module is found by its PyTorch
/// name, as exports keep it: an initializer <c>{module}.weight</c> (Conv and Gemm weights, [out, in, …]),
/// or the node torch.onnx names <c>/{module with / for .}/MatMul</c> whose weight input is the
/// transposed [in, out] matrix (Linear layers without a named weight), or <c>…/Conv</c>, <c>…/Gemm</c>.
/// float32 and float16 weights, inline or in the external weights file beside the graph.
/// </summary>
public static class LoraGraphMerge
{
    /// <returns>The modules of <paramref name="modules"/> found and merged, by their name in the file.</returns>
    public static IReadOnlyList<string> Apply(string graphPath, IReadOnlyList<LoraModule> modules, double strength)
    {
        ModelProto model;
        using (var stream = File.OpenRead(graphPath))
            model = ModelProto.Parser.ParseFrom(stream);
        var targets = Targets(model.Graph);
        var kohya = targets.Keys.GroupBy(k => k.Replace('.', '_')).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        var merged = new List<string>();
        bool inlineChanged = false;
        foreach (var module in modules)
        {
            var path = module.Kohya ? kohya.GetValueOrDefault(module.Module) : module.Module;
            if (path is null || !targets.TryGetValue(path, out var target))
                continue;
            var delta = module.Delta(out int outputs, out int inputs);
            long count = target.Tensor.Dims.Aggregate(1L, (a, b) => a * b);
            if (count != (long)outputs * inputs)
                throw new InvalidDataException($"LoRA module '{module.Module}' changes a [{outputs}, {inputs}] weight but '{target.Tensor.Name}' in {Path.GetFileName(graphPath)} has shape [{string.Join(", ", target.Tensor.Dims)}]");
            float scale = module.Scale(strength);
            inlineChanged |= Update(graphPath, target.Tensor, values =>
            {
                for (int o = 0; o < outputs; o++)
                {
                    for (int i = 0; i < inputs; i++)
                    {
                        int at = target.Transposed ? i * outputs + o : o * inputs + i;
                        values[at] += scale * delta[o * inputs + i];
                    }
                }
            });
            merged.Add(module.Module);
        }

        if (inlineChanged)
        {
            using var output = File.Create(graphPath);
            model.WriteTo(output);
        }

        return merged;
    }

    /// <summary>Module path → its weight and whether it is stored [in, out] (MatMul) rather than [out, in, …].</summary>
    internal static Dictionary<string, (TensorProto Tensor, bool Transposed)> Targets(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // fp16 weights computed in float32 reach their node through a Cast: look through it
        var casts = graph.Node.Where(n => n.OpType == "Cast" && n.Input.Count == 1).ToDictionary(n => n.Output[0], n => n.Input[0], StringComparer.Ordinal);
        var targets = new Dictionary<string, (TensorProto, bool)>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType is not ("MatMul" or "Gemm" or "Conv") || node.Input.Count < 2
                || !initializers.TryGetValue(casts.GetValueOrDefault(node.Input[1], node.Input[1]), out var weight))
                continue;
            var suffix = "/" + node.OpType;
            if (!node.Name.StartsWith('/') || !node.Name.EndsWith(suffix, StringComparison.Ordinal))
                continue;
            var module = node.Name[1..^suffix.Length].Replace('/', '.');
            bool transB = node.Attribute.Any(a => a.Name == "transB" && a.I == 1);
            targets.TryAdd(module, (weight, node.OpType == "MatMul" || (node.OpType == "Gemm" && !transB)));
        }

        // a weight that kept its PyTorch name wins over a node name
        foreach (var tensor in graph.Initializer.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)))
            targets[tensor.Name[..^".weight".Length]] = (tensor, false);
        return targets;
    }

    // reads the weight as float32, lets change it, writes it back where it lives; true when the graph file itself changed
    private static bool Update(string graphPath, TensorProto tensor, Action<float[]> change)
    {
        bool half = tensor.DataType == (int)TensorProto.Types.DataType.Float16;
        if (!half && tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"'{tensor.Name}' is not a float32 or float16 weight (data type {tensor.DataType})");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            var (file, offset, length) = External(graphPath, tensor);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            if (offset + length > stream.Length)
                throw new InvalidDataException($"'{tensor.Name}' lies beyond the end of {Path.GetFileName(file)}");
            var bytes = new byte[length];
            stream.Position = offset;
            stream.ReadExactly(bytes);
            var values = FromBytes(bytes, half);
            change(values);
            stream.Position = offset;
            stream.Write(ToBytes(values, half));
            return false;
        }

        if (!tensor.RawData.IsEmpty)
        {
            var values = FromBytes(tensor.RawData.ToByteArray(), half);
            change(values);
            tensor.RawData = ByteString.CopyFrom(ToBytes(values, half));
        }
        else if (!half)
        {
            var values = tensor.FloatData.ToArray();
            change(values);
            tensor.FloatData.Clear();
            tensor.FloatData.AddRange(values);
        }
        else
        {
            // float16 in int32_data: one half's bits per element
            var values = tensor.Int32Data.Select(bits => (float)BitConverter.Int16BitsToHalf((short)bits)).ToArray();
            change(values);
            tensor.Int32Data.Clear();
            tensor.Int32Data.AddRange(values.Select(v => (int)(ushort)BitConverter.HalfToInt16Bits((Half)v)));
        }

        return true;
    }

    private static (string File, long Offset, long Length) External(string graphPath, TensorProto tensor)
    {
        var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var location = entries.GetValueOrDefault("location") ?? throw new InvalidDataException($"'{tensor.Name}' is external but names no file");
        if (ModelPath.Problem(location) is not null || location.Contains('/') || location.Contains('\\'))
            throw new InvalidDataException($"'{tensor.Name}': external file '{location}' is not a plain file name beside the graph");
        long offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
        long count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        long length = entries.TryGetValue("length", out var l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : count * (tensor.DataType == (int)TensorProto.Types.DataType.Float16 ? 2 : 4);
        return (Path.Combine(Path.GetDirectoryName(graphPath)!, location), offset, length);
    }

    private static float[] FromBytes(byte[] bytes, bool half)
    {
        var values = new float[bytes.Length / (half ? 2 : 4)];
        for (int i = 0; i < values.Length; i++)
            values[i] = half ? (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2)) : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    private static byte[] ToBytes(float[] values, bool half)
    {
        var bytes = new byte[values.Length * (half ? 2 : 4)];
        for (int i = 0; i < values.Length; i++)
        {
            if (half)
                BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
            else
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
