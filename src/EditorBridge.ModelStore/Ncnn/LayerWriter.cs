namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// Writes one ncnn layer as ONNX nodes, reading its weights in ncnn's load order. ncnn blobs are
/// C×H×W; in ONNX they are [1,C,H,W], and per-channel vectors (InnerProduct answers) [1,C,1,1].
/// </summary>
internal sealed class LayerWriter(OnnxGraph graph, NcnnWeights weights, NcnnLayer layer, string[] inputs, NcnnFault fault)
{
    public string Write() => layer.Type switch
    {
        "Split" => inputs[0],
        "Convolution" => Convolution(transposed: false),
        "Deconvolution" => Convolution(transposed: true),
        "InnerProduct" => InnerProduct(),
        "PReLU" => PRelu(),
        "ReLU" => layer.Float(0, 0) == 0 ? graph.Add("Relu", layer.Name, inputs) : graph.Add("LeakyRelu", layer.Name, inputs, ("alpha", layer.Float(0, 0))),
        "Sigmoid" => graph.Add("Sigmoid", layer.Name, inputs),
        "PixelShuffle" => graph.Add("DepthToSpace", layer.Name, inputs, ("blocksize", (long)layer.Int(0, 1)), ("mode", layer.Int(1, 0) == 0 ? "CRD" : "DCR")),
        "Interp" => Interp(),
        "BinaryOp" => BinaryOp(),
        "Eltwise" => Eltwise(),
        "Concat" => graph.Add("Concat", layer.Name, inputs, ("axis", (long)OnnxAxis(layer.Int(0, 0)))),
        "Crop" => Crop(),
        "Pooling" => Pooling(),
        "Scale" => Scale(),
        _ => throw new NotSupportedException($"layer '{layer.Name}' is of type {layer.Type}, which the ncnn importer does not convert"),
    };

    private string Convolution(bool transposed)
    {
        int outputs = layer.Int(0, 0), size = layer.Int(6, 0);
        var (kernelW, strideW, left, right) = NcnnGeometry.Window(layer, horizontal: true);
        var (kernelH, strideH, top, bottom) = NcnnGeometry.Window(layer, horizontal: false);
        int dilationW = layer.Int(2, 1), dilationH = layer.Int(12, dilationW);
        if (layer.Int(8, 0) != 0)
            throw new NotSupportedException($"{layer}: int8 convolutions are not supported");
        if (transposed && (layer.Int(20, 0) != 0 || layer.Int(21, 0) != 0))
            throw new NotSupportedException($"{layer}: a fixed output size is not supported");
        int kernel = kernelW * kernelH;
        if (outputs <= 0 || size <= 0 || size % (outputs * kernel) != 0)
            throw new FormatException($"{layer}: weight size {size} is not a multiple of {outputs} outputs × {kernelH}×{kernelW}");
        int channels = size / (outputs * kernel);
        var weight = weights.Tagged(size, layer);
        if (fault == NcnnFault.TransposedKernel)
            weight = SwapRowsAndColumns(weight, kernelH, kernelW);
        if (transposed)
            weight = SwapFirstTwo(weight, outputs, channels, kernel); // ncnn keeps [out][in][k], ONNX ConvTranspose [in][out][k]
        var w = graph.Constant(layer.Name + "_w", weight, transposed ? [channels, outputs, kernelH, kernelW] : [outputs, channels, kernelH, kernelW]);
        var bias = layer.Int(5, 0) != 0 ? weights.Raw(outputs, layer) : new float[outputs];
        var b = graph.Constant(layer.Name + "_b", bias, outputs);
        var attributes = new List<(string, object)>
        {
            ("kernel_shape", new long[] { kernelH, kernelW }),
            ("strides", new long[] { strideH, strideW }),
            ("dilations", new long[] { dilationH, dilationW }),
            ("pads", new long[] { top, left, bottom, right }),
        };
        if (transposed)
            attributes.Add(("output_padding", new long[] { layer.Int(19, 0), layer.Int(18, 0) }));
        var output = graph.Add(transposed ? "ConvTranspose" : "Conv", layer.Name, [inputs[0], w, b], [.. attributes]);
        return Activation(output);
    }

    private string InnerProduct()
    {
        int outputs = layer.Int(0, 0), size = layer.Int(2, 0);
        if (layer.Int(8, 0) != 0)
            throw new NotSupportedException($"{layer}: int8 weights are not supported");
        if (outputs <= 0 || size % outputs != 0)
            throw new FormatException($"{layer}: weight size {size} is not a multiple of {outputs} outputs");
        var weight = weights.Tagged(size, layer);
        var bias = layer.Int(1, 0) != 0 ? weights.Raw(outputs, layer) : new float[outputs];
        // on a per-channel vector [1,C,1,1] a fully connected layer is a 1×1 convolution
        var output = graph.Add("Conv", layer.Name, [inputs[0], graph.Constant(layer.Name + "_w", weight, outputs, size / outputs, 1, 1), graph.Constant(layer.Name + "_b", bias, outputs)]);
        return Activation(output);
    }

    /// <summary>The activation fused into Convolution/Deconvolution/InnerProduct (parameter 9, its arguments in 10).</summary>
    private string Activation(string x)
    {
        var arguments = layer.Array(10);
        return layer.Int(9, 0) switch
        {
            0 => x,
            1 => graph.Add("Relu", layer.Name + "_relu", [x]),
            2 => graph.Add("LeakyRelu", layer.Name + "_leaky", [x], ("alpha", arguments.Length > 0 ? arguments[0] : 0f)),
            3 => graph.Add("Clip", layer.Name + "_clip", [x, graph.Constant("min", [arguments[0]]), graph.Constant("max", [arguments[1]])]),
            4 => graph.Add("Sigmoid", layer.Name + "_sigmoid", [x]),
            var other => throw new NotSupportedException($"{layer}: fused activation type {other} is not supported (0 none, 1 ReLU, 2 leaky ReLU, 3 clip, 4 sigmoid)"),
        };
    }

    private string PRelu()
    {
        int count = layer.Int(0, 1);
        var slope = weights.Raw(count, layer);
        if (fault == NcnnFault.WrongPreluSlope && count > 1)
            slope = [.. slope[1..], slope[0]];
        var s = count == 1 ? graph.Constant(layer.Name + "_slope", slope, 1) : graph.Constant(layer.Name + "_slope", slope, count, 1, 1);
        return graph.Add("PRelu", layer.Name, [inputs[0], s]);
    }

    private string Interp()
    {
        int type = layer.Int(0, 0);
        if (layer.Int(3, 0) != 0 || layer.Int(4, 0) != 0 || layer.Int(5, 0) != 0)
            throw new NotSupportedException($"{layer}: a fixed or dynamic output size is not supported, only scale factors");
        var scales = graph.Constant(layer.Name + "_scales", [1, 1, layer.Float(1, 1), layer.Float(2, 1)], 4);
        string coordinates = layer.Int(6, 0) != 0 ? "align_corners" : "half_pixel";
        return type switch
        {
            1 => graph.Add("Resize", layer.Name, [inputs[0], "", scales], ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")),
            2 => graph.Add("Resize", layer.Name, [inputs[0], "", scales], ("mode", "linear"), ("coordinate_transformation_mode", coordinates)),
            3 => graph.Add("Resize", layer.Name, [inputs[0], "", scales], ("mode", "cubic"), ("coordinate_transformation_mode", coordinates), ("cubic_coeff_a", -0.75f)),
            _ => throw new NotSupportedException($"{layer}: resize type {type} is not supported (1 nearest, 2 bilinear, 3 bicubic)"),
        };
    }

    private string BinaryOp()
    {
        int type = layer.Int(0, 0);
        string a = inputs[0], b = layer.Int(1, 0) != 0 ? graph.Constant(layer.Name + "_b", [layer.Float(2, 0)], 1) : inputs[1];
        if (type is 7 or 8)
            (a, b) = (b, a);
        string op = type switch
        {
            0 => "Add", 1 or 7 => "Sub", 2 => "Mul", 3 or 8 => "Div", 4 => "Max", 5 => "Min", 6 => "Pow",
            _ => throw new NotSupportedException($"{layer}: operation type {type} is not supported"),
        };
        return graph.Add(op, layer.Name, [a, b]);
    }

    private string Eltwise()
    {
        int type = layer.Int(0, 1);
        var coefficients = layer.Array(1);
        var terms = inputs.Select((x, i) => type == 1 && coefficients.Length > i && coefficients[i] != 1f
            ? graph.Add("Mul", layer.Name + "_coeff", [x, graph.Constant("coeff", [coefficients[i]], 1)])
            : x).ToList();
        string op = type switch
        {
            0 => "Mul", 1 => "Sum", 2 => "Max",
            _ => throw new NotSupportedException($"{layer}: operation type {type} is not supported (0 product, 1 sum, 2 max)"),
        };
        return graph.Add(op, layer.Name, terms);
    }

    private string Crop()
    {
        var (startW, endW) = NcnnToOnnx.CropRange(layer, horizontal: true);
        var (startH, endH) = NcnnToOnnx.CropRange(layer, horizontal: false);
        var starts = graph.Longs(layer.Name + "_starts", startH, startW);
        var axes = graph.Longs(layer.Name + "_axes", 2, 3);
        string ends;
        if (inputs.Length == 2)
        {
            // to the reference blob's size: ends = starts + its height and width
            var shape = graph.Add("Shape", layer.Name + "_shape", [inputs[1]], ("start", 2L), ("end", 4L));
            ends = graph.Add("Add", layer.Name + "_ends", [shape, starts]);
        }
        else
        {
            ends = graph.Longs(layer.Name + "_ends", End(endH), End(endW));
        }

        return graph.Add("Slice", layer.Name, [inputs[0], starts, ends, axes]);

        static long End(int end) => end == int.MaxValue ? long.MaxValue : end;
    }

    private string Pooling()
    {
        if (layer.Int(4, 0) == 0)
            throw new NotSupportedException($"{layer}: only global pooling is supported");
        return layer.Int(0, 0) switch
        {
            0 => graph.Add("GlobalMaxPool", layer.Name, inputs),
            1 => graph.Add("GlobalAveragePool", layer.Name, inputs),
            var other => throw new NotSupportedException($"{layer}: pooling type {other} is not supported"),
        };
    }

    private string Scale()
    {
        int size = layer.Int(0, 0);
        if (size == -233)
            return graph.Add("Mul", layer.Name, [inputs[0], inputs[1]]);
        var scale = graph.Constant(layer.Name + "_scale", weights.Raw(size, layer), size, 1, 1);
        var scaled = graph.Add("Mul", layer.Name, [inputs[0], scale]);
        return layer.Int(1, 0) == 0 ? scaled : graph.Add("Add", layer.Name + "_bias", [scaled, graph.Constant(layer.Name + "_bias", weights.Raw(size, layer), size, 1, 1)]);
    }

    /// <summary>ncnn's axis of a C×H×W blob (0..2, or −3..−1) as the ONNX axis of [1,C,H,W].</summary>
    private int OnnxAxis(int axis) => axis is >= -3 and <= 2
        ? (axis < 0 ? axis + 3 : axis) + 1
        : throw new NotSupportedException($"{layer}: axis {axis} is not one of a picture's three");

    private static float[] SwapFirstTwo(float[] weight, int first, int second, int inner)
    {
        var result = new float[weight.Length];
        for (int a = 0; a < first; a++)
            for (int b = 0; b < second; b++)
                Array.Copy(weight, (a * second + b) * inner, result, (b * first + a) * inner, inner);
        return result;
    }

    private static float[] SwapRowsAndColumns(float[] weight, int rows, int columns)
    {
        var result = new float[weight.Length];
        int kernel = rows * columns;
        for (int k = 0; k < weight.Length / kernel; k++)
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < columns; x++)
                    result[k * kernel + x * rows + y] = weight[k * kernel + y * columns + x];
        return result;
    }
}
