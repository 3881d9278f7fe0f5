namespace EditorBridge.ModelStore.Ncnn;

/// <summary>A deliberate conversion fault, for tests that prove the oracle catches a broken converter.</summary>
internal enum NcnnFault
{
    None,

    /// <summary>Convolution kernels written with their rows and columns swapped.</summary>
    TransposedKernel,

    /// <summary>PReLU slopes written one channel off.</summary>
    WrongPreluSlope,
}

/// <summary>What the reference program does around the graph, by family (see <see cref="NcnnFamily"/>).</summary>
/// <param name="ReflectBorder">The input border is mirrored (Real-CUGAN) rather than repeated (waifu2x, Real-ESRGAN).</param>
/// <param name="AddsNearestInput">The answer is a residual: the input enlarged by repeating pixels is added (Real-CUGAN ×4).</param>
internal sealed record NcnnRules(bool ReflectBorder, bool AddsNearestInput);

/// <summary>
/// Converts an ncnn graph and its weights to one ONNX graph: input "input" [1,3,H,W] RGB in 0..1,
/// output "output" [1,3,sH,sW] in 0..1. The border the reference programs add (and any residual they
/// add after the graph) becomes part of the graph, so the answer is exactly s times the input.
/// Supports Input, Split, Convolution, Deconvolution, PReLU, ReLU, Sigmoid, PixelShuffle, Interp,
/// BinaryOp, Eltwise, Concat, Crop, global Pooling, InnerProduct and Scale; anything else is refused.
/// </summary>
internal static class NcnnToOnnx
{
    public const string InputName = "input";
    public const string OutputName = "output";

    public static readonly IReadOnlyList<string> LayerTypes =
        ["Input", "Split", "Convolution", "Deconvolution", "PReLU", "ReLU", "Sigmoid", "PixelShuffle", "Interp", "BinaryOp", "Eltwise", "Concat", "Crop", "Pooling", "InnerProduct", "Scale"];

    public sealed record Result(byte[] Onnx, NcnnGeometry.Solution Geometry);

    public static Result Convert(IReadOnlyList<NcnnLayer> layers, byte[] weights, NcnnRules rules, string name, NcnnFault fault = NcnnFault.None)
    {
        if (layers.FirstOrDefault(l => !LayerTypes.Contains(l.Type)) is { } unknown)
            throw new NotSupportedException($"layer '{unknown.Name}' is of type {unknown.Type}, which the ncnn importer does not convert (it converts {string.Join(", ", LayerTypes)})");
        if (layers.Count(l => l.Type == "Input") != 1)
            throw new NotSupportedException("the graph must have exactly one Input layer (one picture in)");
        var geometry = NcnnGeometry.Solve(layers);
        var graph = new OnnxGraph(name);
        graph.Inputs.Add(InputName);
        graph.Outputs.Add(OutputName);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var padded = geometry.Border == 0 ? InputName : graph.Add("Pad", "border", [InputName, graph.Longs("pads", 0, 0, geometry.Border, geometry.Border, 0, 0, geometry.Border, geometry.Border)],
            ("mode", rules.ReflectBorder ? "reflect" : "edge"));
        var reader = new NcnnWeights(weights);
        foreach (var layer in layers)
        {
            string[] inputs = layer.Inputs.Select(i => names.TryGetValue(i, out var n) ? n : throw new FormatException($"{layer} reads blob '{i}', which no earlier layer makes")).ToArray();
            var layerGraph = new LayerWriter(graph, reader, layer, inputs, fault);
            var output = layer.Type == "Input" ? padded : layerGraph.Write();
            foreach (var top in layer.Outputs)
                names[top] = output;
        }

        if (!reader.AtEnd)
            throw new FormatException($"the weights file has {reader.Length} bytes but the graph reads {reader.Position}: they do not belong together");
        var answer = names[OutputBlob(layers)];
        if (rules.AddsNearestInput)
        {
            var scales = graph.Constant("scales", [1, 1, geometry.Scale, geometry.Scale], 4);
            var enlarged = graph.Add("Resize", "nearest_input", [InputName, "", scales], ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"));
            answer = graph.Add("Add", "residual", [answer, enlarged]);
        }

        graph.AddTo(OutputName, "Identity", OutputName, [answer]);
        return new Result(OnnxWriter.Model(graph, "EditorBridge ncnn importer"), geometry);
    }

    /// <summary>The one blob that some layer makes and no layer reads.</summary>
    public static string OutputBlob(IReadOnlyList<NcnnLayer> layers)
    {
        var read = layers.SelectMany(l => l.Inputs).ToHashSet(StringComparer.Ordinal);
        var ends = layers.SelectMany(l => l.Outputs).Where(o => !read.Contains(o)).ToList();
        return ends.Count == 1 ? ends[0] : throw new NotSupportedException($"the graph must end in one blob (one picture out), but {ends.Count} are never read: {string.Join(", ", ends)}");
    }

    /// <summary>A Crop layer's start and end along one axis; end ≥ 0 absolute, negative from the end, <see cref="int.MaxValue"/> to the end.</summary>
    public static (int Start, int End) CropRange(NcnnLayer layer, bool horizontal)
    {
        var starts = layer.Array(9);
        if (starts.Length > 0)
        {
            var ends = layer.Array(10);
            var axes = layer.Array(11);
            for (int i = 0; i < starts.Length; i++)
            {
                int axis = axes.Length > i ? (int)axes[i] : i;
                if (axis < 0)
                    axis += 3;
                if (axis == (horizontal ? 2 : 1))
                    return ((int)starts[i], ends.Length > i ? (int)ends[i] : int.MaxValue);
            }

            return (0, int.MaxValue);
        }

        int offset = layer.Int(horizontal ? 0 : 1, 0), size = layer.Int(horizontal ? 3 : 4, 0), offset2 = layer.Int(horizontal ? 6 : 7, 0);
        return (offset, size > 0 ? offset + size : offset2 > 0 ? -offset2 : int.MaxValue);
    }
}
