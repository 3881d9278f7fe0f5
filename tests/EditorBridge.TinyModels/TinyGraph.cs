using Google.Protobuf;
using Onnx;

namespace EditorBridge.TinyModels;

/// <summary>
/// Builds a small but valid ONNX graph (IR 8, opset 17) for tests: named inputs/outputs with the
/// real models' names, ranks and dtypes, a few nodes, and initializers that can be written to an
/// external weights file like the large real exports.
/// </summary>
public sealed class TinyGraph
{
    private readonly GraphProto graph;

    public TinyGraph(string name) => graph = new GraphProto { Name = name };

    /// <summary>Adds a graph input. Each dimension is a number or a symbolic name (string) such as "batch".</summary>
    public TinyGraph Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    public TinyGraph Output(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds a node. Attribute values: long/int, float/double, string, long[], float[], TensorProto.</summary>
    public TinyGraph Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => Attribute(a.Name, a.Value)));
        graph.Node.Add(node);
        return this;
    }

    /// <summary>Renames the last node added (exports name nodes by module path, e.g. "/down_blocks.0/resnets.0/conv1/Conv").</summary>
    public TinyGraph Named(string nodeName)
    {
        graph.Node[^1].Name = nodeName;
        return this;
    }

    public TinyGraph Weight(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        graph.Initializer.Add(tensor);
        return this;
    }

    public TinyGraph Weight(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>A float16 weight (stored raw, little-endian), for fp16 exports.</summary>
    public TinyGraph HalfWeight(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            BitConverter.TryWriteBytes(raw.AsSpan(i * 2), (Half)values[i]);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return this;
    }

    public ModelProto ToModel(int opset = 17)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "EditorBridge.TinyModels", Graph = graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    public byte[] ToBytes(int opset = 17) => ToModel(opset).ToByteArray();

    /// <summary>
    /// Writes the model to <paramref name="path"/>. With <paramref name="externalWeightsFile"/> (a file
    /// name beside it, e.g. "model.onnx_data"), every initializer's data goes to that file as in large
    /// real exports, and the model must then be loaded from its path.
    /// </summary>
    public void Save(string path, string? externalWeightsFile = null, int opset = 17)
    {
        var model = ToModel(opset);
        if (externalWeightsFile is not null)
            MoveWeightsOut(model.Graph, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, externalWeightsFile), externalWeightsFile);
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static void MoveWeightsOut(GraphProto graph, string weightsPath, string location)
    {
        using var weights = File.Create(weightsPath);
        foreach (var tensor in graph.Initializer)
        {
            var bytes = RawBytes(tensor);
            var offset = weights.Position;
            weights.Write(bytes);
            tensor.FloatData.Clear();
            tensor.Int64Data.Clear();
            tensor.RawData = ByteString.Empty;
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    private static byte[] RawBytes(TensorProto tensor)
    {
        if (!tensor.RawData.IsEmpty)
            return tensor.RawData.ToByteArray();
        if (tensor.FloatData.Count > 0)
            return tensor.FloatData.SelectMany(BitConverter.GetBytes).ToArray();
        return tensor.Int64Data.SelectMany(BitConverter.GetBytes).ToArray();
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        double d => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)d },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        long[] ls => Ints(name, ls),
        int[] ints => Ints(name, ints.Select(x => (long)x).ToArray()),
        float[] fs => Floats(name, fs),
        TensorProto t => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = t },
        _ => throw new ArgumentException($"attribute {name}: unsupported value type {value.GetType().Name}"),
    };

    private static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Floats(string name, float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }
}
