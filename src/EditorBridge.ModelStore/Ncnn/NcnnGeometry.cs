namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// How an ncnn graph maps input size to output size along one axis, and from that the border the
/// reference programs add before running it: models of unpadded convolutions (waifu2x, Real-CUGAN)
/// answer smaller than they are fed. <see cref="Solve"/> finds the factor s, the border P and the
/// size multiple m with answer(n + 2P) = s·n for every n that is a multiple of m.
/// </summary>
internal static class NcnnGeometry
{
    private static readonly int[] Multiples = [1, 2, 4, 8, 16];
    private const int MaxBorder = 64;

    public sealed record Solution(int Scale, int Border, int Multiple);

    public static Solution Solve(IReadOnlyList<NcnnLayer> layers)
    {
        foreach (var m in Multiples)
            for (int border = 0; border <= MaxBorder; border++)
            {
                int scale = 0;
                bool fits = true;
                for (int k = 8; k < 16 && fits; k++)
                {
                    int n = k * m;
                    var w = Answer(layers, n + 2 * border, horizontal: true);
                    var h = Answer(layers, n + 2 * border, horizontal: false);
                    if (w is not { } width || h != width || width % n != 0)
                        fits = false;
                    else if (scale == 0)
                        scale = width / n;
                    else if (width != scale * n)
                        fits = false;
                }

                if (fits && scale > 0)
                    return new Solution(scale, border, m);
            }

        throw new NotSupportedException($"no input border up to {MaxBorder} pixels and size multiple up to {Multiples[^1]} makes this graph's answer a whole multiple of its input");
    }

    /// <summary>The output's side for an input side <paramref name="size"/>; null where a layer cannot take it exactly.</summary>
    public static int? Answer(IReadOnlyList<NcnnLayer> layers, int size, bool horizontal)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        string? last = null;
        foreach (var layer in layers)
        {
            int[] inputs = new int[layer.Inputs.Count];
            for (int i = 0; i < inputs.Length; i++)
                if (!sizes.TryGetValue(layer.Inputs[i], out inputs[i]))
                    return null;
            var output = Layer(layer, inputs, size, horizontal);
            if (output is not { } value || value < 1)
                return null;
            foreach (var top in layer.Outputs)
            {
                sizes[top] = value;
                last = top;
            }
        }

        return last is null ? null : sizes[NcnnToOnnx.OutputBlob(layers)];
    }

    private static int? Layer(NcnnLayer layer, int[] inputs, int size, bool horizontal)
    {
        int x = inputs.Length > 0 ? inputs[0] : size;
        int w = horizontal ? 0 : 10; // ncnn numbers height parameters 10 above width ones
        switch (layer.Type)
        {
            case "Input":
                return size;
            case "Convolution":
            {
                var (kernel, stride, before, after) = Window(layer, horizontal);
                int extent = layer.Int(2 + w, layer.Int(2, 1)) * (kernel - 1) + 1;
                int span = x + before + after - extent;
                return span < 0 || span % stride != 0 ? null : span / stride + 1;
            }

            case "Deconvolution":
            {
                var (kernel, stride, before, after) = Window(layer, horizontal);
                int extent = layer.Int(2 + w, layer.Int(2, 1)) * (kernel - 1) + 1;
                return (x - 1) * stride + extent - before - after + layer.Int(horizontal ? 18 : 19, 0);
            }

            case "Pooling":
                return layer.Int(4, 0) != 0 ? 1 : throw new NotSupportedException($"{layer}: only global pooling is supported");
            case "InnerProduct":
                return x == 1 ? 1 : null;
            case "Interp":
            {
                double scaled = x * (double)layer.Float(horizontal ? 2 : 1, 1f);
                return Math.Abs(scaled - Math.Round(scaled)) > 1e-3 ? null : (int)Math.Round(scaled);
            }

            case "PixelShuffle":
                return x * layer.Int(0, 1);
            case "Crop":
                return Crop(layer, inputs, horizontal);
            default:
                // element-wise layers: inputs agree, or one is a per-channel vector (size 1)
                var sized = inputs.Where(i => i != 1).Distinct().ToList();
                return sized.Count switch { 0 => 1, 1 => sized[0], _ => null };
        }
    }

    private static int? Crop(NcnnLayer layer, int[] inputs, bool horizontal)
    {
        int x = inputs[0];
        var (start, end) = NcnnToOnnx.CropRange(layer, horizontal);
        if (inputs.Length == 2)
            return start + inputs[1] <= x ? inputs[1] : null;
        int from = start, to = end >= 0 ? Math.Min(end, x) : x + end;
        return to - from;
    }

    /// <summary>Kernel, stride and the border before and after along one axis (ncnn parameters 1, 3, 4, 15 / 11, 13, 14, 16).</summary>
    internal static (int Kernel, int Stride, int Before, int After) Window(NcnnLayer layer, bool horizontal)
    {
        int kernelW = layer.Int(1, 1), strideW = layer.Int(3, 1), left = layer.Int(4, 0);
        if (left < 0)
            throw new NotSupportedException($"{layer}: automatic ('same') padding is not supported");
        return horizontal
            ? (kernelW, strideW, left, layer.Int(15, left))
            : (layer.Int(11, kernelW), layer.Int(13, strideW), layer.Int(14, left), layer.Int(16, layer.Int(14, left)));
    }
}
