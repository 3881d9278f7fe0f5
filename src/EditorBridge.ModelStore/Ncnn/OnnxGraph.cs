namespace EditorBridge.ModelStore.Ncnn;

/// <summary>An ONNX node: operator, inputs, outputs and attributes (float, long, string or long[]).</summary>
internal sealed record OnnxNode(string Op, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<(string Name, object Value)> Attributes);

/// <summary>A constant: float32 (<see cref="Floats"/>) or int64 (<see cref="Int64s"/>).</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, float[]? Floats = null, long[]? Int64s = null);

/// <summary>A graph under construction: nodes in order, constants, and its picture input and output.</summary>
internal sealed class OnnxGraph(string name)
{
    private int counter;

    public string Name { get; } = name;

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxTensor> Initializers { get; } = [];

    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    /// <summary>A fresh tensor name with <paramref name="hint"/> in it.</summary>
    public string Fresh(string hint) => $"{hint}__{counter++}";

    public string Add(string op, string name, IReadOnlyList<string> inputs, params (string, object)[] attributes)
    {
        var output = Fresh(name);
        Nodes.Add(new OnnxNode(op, output, inputs, [output], attributes));
        return output;
    }

    public void AddTo(string output, string op, string name, IReadOnlyList<string> inputs, params (string, object)[] attributes) =>
        Nodes.Add(new OnnxNode(op, name, inputs, [output], attributes));

    public string Constant(string hint, float[] values, params long[] dims)
    {
        var name = Fresh(hint);
        Initializers.Add(new OnnxTensor(name, dims, values));
        return name;
    }

    public string Longs(string hint, params long[] values)
    {
        var name = Fresh(hint);
        Initializers.Add(new OnnxTensor(name, [values.Length], Int64s: values));
        return name;
    }
}
