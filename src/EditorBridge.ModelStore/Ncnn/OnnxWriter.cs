using System.Text;

namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// Writes the few ONNX protobuf messages a converted image model needs (ModelProto, GraphProto,
/// NodeProto, AttributeProto, TensorProto, ValueInfoProto), so the model store stays free of
/// protobuf packages. Field numbers as in onnx/onnx.proto (IR version 8).
/// </summary>
internal static class OnnxWriter
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    public static byte[] Model(OnnxGraph graph, string producer)
    {
        var model = new Proto();
        model.Int(1, IrVersion);
        model.Text(2, producer);
        model.Text(3, "1");
        model.Message(7, Graph(graph));
        var opset = new Proto();
        opset.Text(1, "");
        opset.Int(2, Opset);
        model.Message(8, opset);
        return model.ToArray();
    }

    private static Proto Graph(OnnxGraph graph)
    {
        var proto = new Proto();
        foreach (var node in graph.Nodes)
            proto.Message(1, Node(node));
        proto.Text(2, graph.Name);
        foreach (var tensor in graph.Initializers)
            proto.Message(5, Tensor(tensor));
        foreach (var input in graph.Inputs)
            proto.Message(11, ImageValue(input));
        foreach (var output in graph.Outputs)
            proto.Message(12, ImageValue(output));
        return proto;
    }

    private static Proto Node(OnnxNode node)
    {
        var proto = new Proto();
        foreach (var input in node.Inputs)
            proto.Text(1, input);
        foreach (var output in node.Outputs)
            proto.Text(2, output);
        proto.Text(3, node.Name);
        proto.Text(4, node.Op);
        foreach (var (name, value) in node.Attributes)
            proto.Message(5, Attribute(name, value));
        return proto;
    }

    private static Proto Attribute(string name, object value)
    {
        var proto = new Proto();
        proto.Text(1, name);
        switch (value)
        {
            case float f:
                proto.Float(2, f);
                proto.Int(20, 1);
                break;
            case long i:
                proto.Int(3, i);
                proto.Int(20, 2);
                break;
            case string s:
                proto.Bytes(4, Encoding.UTF8.GetBytes(s));
                proto.Int(20, 3);
                break;
            case long[] ints:
                foreach (var i in ints)
                    proto.Int(8, i);
                proto.Int(20, 7);
                break;
            default:
                throw new ArgumentException($"attribute '{name}' of type {value.GetType().Name} is not written", nameof(value));
        }

        return proto;
    }

    private static Proto Tensor(OnnxTensor tensor)
    {
        var proto = new Proto();
        foreach (var d in tensor.Dims)
            proto.Int(1, d);
        proto.Int(2, tensor.Int64s is null ? 1 : 7);
        proto.Text(8, tensor.Name);
        if (tensor.Int64s is { } longs)
        {
            var raw = new byte[longs.Length * 8];
            Buffer.BlockCopy(longs, 0, raw, 0, raw.Length);
            proto.Bytes(9, raw);
        }
        else
        {
            var raw = new byte[tensor.Floats!.Length * 4];
            Buffer.BlockCopy(tensor.Floats, 0, raw, 0, raw.Length);
            proto.Bytes(9, raw);
        }

        return proto;
    }

    /// <summary>A float32 NCHW picture [1, channels, H, W] with free height and width.</summary>
    private static Proto ImageValue(string name)
    {
        var shape = new Proto();
        foreach (var dim in new object[] { 1L, 3L, "height", "width" })
        {
            var d = new Proto();
            if (dim is long v)
                d.Int(1, v);
            else
                d.Text(2, (string)dim);
            shape.Message(1, d);
        }

        var tensorType = new Proto();
        tensorType.Int(1, 1);
        tensorType.Message(2, shape);
        var type = new Proto();
        type.Message(1, tensorType);
        var value = new Proto();
        value.Text(1, name);
        value.Message(2, type);
        return value;
    }

    /// <summary>Protocol buffer wire format: varints, length-delimited fields, fixed32 floats.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream buffer = new();

        public void Int(int field, long value)
        {
            Tag(field, 0);
            Varint((ulong)value);
        }

        public void Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            BitConverter.TryWriteBytes(bytes, value);
            buffer.Write(bytes);
        }

        public void Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, Proto message) => Bytes(field, message.ToArray());

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Varint((ulong)value.Length);
            buffer.Write(value);
        }

        public byte[] ToArray() => buffer.ToArray();

        private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            buffer.WriteByte((byte)value);
        }
    }
}
