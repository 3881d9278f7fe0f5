using EditorBridge.ModelStore.Ncnn;

namespace EditorBridge.Engines.Onnx.Tests.Ncnn;

/// <summary>
/// A plain forward pass of an ncnn graph, written from ncnn's layer definitions (naive loops over
/// C×H×W floats, no ONNX): the second oracle for the converter. It reads the same .param/.bin, adds
/// the border the reference program adds (<see cref="NcnnRules"/>, border P) and, for Real-CUGAN ×4,
/// the nearest-enlarged input. Slow on purpose; meant for crops of a few dozen pixels.
/// </summary>
internal static class NcnnReference
{
    internal sealed class Blob(int c, int h, int w)
    {
        public int C { get; } = c;
        public int H { get; } = h;
        public int W { get; } = w;
        public float[] Data { get; } = new float[c * h * w];

        public ref float At(int c, int y, int x) => ref Data[(c * H + y) * W + x];
    }

    public static Blob Run(IReadOnlyList<NcnnLayer> layers, byte[] bin, NcnnRules rules, int border, int scale, Blob input)
    {
        var weights = new NcnnWeights(bin);
        var blobs = new Dictionary<string, Blob>();
        foreach (var layer in layers)
        {
            var x = layer.Inputs.Select(i => blobs[i]).ToArray();
            var y = layer.Type switch
            {
                "Input" => Border(input, border, rules.ReflectBorder),
                "Split" => x[0],
                "Convolution" => Activate(layer, Convolution(layer, x[0], weights)),
                "Deconvolution" => Activate(layer, Deconvolution(layer, x[0], weights)),
                "InnerProduct" => Activate(layer, InnerProduct(layer, x[0], weights)),
                "PReLU" => PRelu(layer, x[0], weights),
                "PixelShuffle" => PixelShuffle(x[0], layer.Int(0, 1)),
                "Interp" => Interp(layer, x[0]),
                "BinaryOp" => Elementwise(x[0], x[1], layer.Int(0, 0) switch { 0 => (a, b) => a + b, 2 => (a, b) => a * b, _ => throw new NotSupportedException() }),
                "Eltwise" => Eltwise(layer, x),
                "Concat" => Concat(x),
                "Crop" => Crop(layer, x),
                "Pooling" => Mean(x[0]),
                "Scale" => Elementwise(x[0], x[1], (a, b) => a * b),
                _ => throw new NotSupportedException(layer.Type),
            };
            foreach (var top in layer.Outputs)
                blobs[top] = y;
        }

        var answer = blobs[NcnnToOnnx.OutputBlob(layers)];
        if (rules.AddsNearestInput)
        {
            var sum = new Blob(answer.C, answer.H, answer.W);
            for (int c = 0; c < sum.C; c++)
                for (int i = 0; i < sum.H; i++)
                    for (int j = 0; j < sum.W; j++)
                        sum.At(c, i, j) = answer.At(c, i, j) + input.At(c, i / scale, j / scale);
            answer = sum;
        }

        return answer;
    }

    private static Blob Border(Blob x, int p, bool reflect)
    {
        var y = new Blob(x.C, x.H + 2 * p, x.W + 2 * p);
        for (int c = 0; c < x.C; c++)
            for (int i = 0; i < y.H; i++)
                for (int j = 0; j < y.W; j++)
                    y.At(c, i, j) = x.At(c, Source(i - p, x.H), Source(j - p, x.W));
        return y;

        int Source(int v, int n) => reflect
            ? (n - 1) - Math.Abs(Math.Abs(v) - (n - 1))
            : Math.Clamp(v, 0, n - 1);
    }

    private static Blob Convolution(NcnnLayer l, Blob x, NcnnWeights weights)
    {
        int outc = l.Int(0, 0), k = l.Int(1, 1), s = l.Int(3, 1), p = l.Int(4, 0);
        var w = weights.Tagged(l.Int(6, 0), l);
        var b = l.Int(5, 0) != 0 ? weights.Raw(outc, l) : new float[outc];
        int oh = (x.H + 2 * p - k) / s + 1, ow = (x.W + 2 * p - k) / s + 1;
        var y = new Blob(outc, oh, ow);
        Parallel.For(0, outc, o =>
        {
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double sum = b[o];
                    for (int c = 0; c < x.C; c++)
                        for (int u = 0; u < k; u++)
                        {
                            int yy = i * s + u - p;
                            if (yy < 0 || yy >= x.H)
                                continue;
                            for (int v = 0; v < k; v++)
                            {
                                int xx = j * s + v - p;
                                if (xx >= 0 && xx < x.W)
                                    sum += w[((o * x.C + c) * k + u) * k + v] * x.At(c, yy, xx);
                            }
                        }

                    y.At(o, i, j) = (float)sum;
                }
        });
        return y;
    }

    /// <summary>ncnn's Deconvolution: every input pixel spreads its kernel (weights [out][in][k]) over the output, then the border is cut.</summary>
    private static Blob Deconvolution(NcnnLayer l, Blob x, NcnnWeights weights)
    {
        int outc = l.Int(0, 0), k = l.Int(1, 1), s = l.Int(3, 1), p = l.Int(4, 0);
        var w = weights.Tagged(l.Int(6, 0), l);
        var b = l.Int(5, 0) != 0 ? weights.Raw(outc, l) : new float[outc];
        int fh = (x.H - 1) * s + k, fw = (x.W - 1) * s + k;
        var full = new Blob(outc, fh, fw);
        Parallel.For(0, outc, o =>
        {
            for (int c = 0; c < x.C; c++)
                for (int i = 0; i < x.H; i++)
                    for (int j = 0; j < x.W; j++)
                    {
                        float v = x.At(c, i, j);
                        for (int u = 0; u < k; u++)
                            for (int t = 0; t < k; t++)
                                full.At(o, i * s + u, j * s + t) += v * w[((o * x.C + c) * k + u) * k + t];
                    }
        });
        var y = new Blob(outc, fh - 2 * p, fw - 2 * p);
        for (int o = 0; o < outc; o++)
            for (int i = 0; i < y.H; i++)
                for (int j = 0; j < y.W; j++)
                    y.At(o, i, j) = full.At(o, i + p, j + p) + b[o];
        return y;
    }

    private static Blob InnerProduct(NcnnLayer l, Blob x, NcnnWeights weights)
    {
        int outc = l.Int(0, 0);
        var w = weights.Tagged(l.Int(2, 0), l);
        var b = l.Int(1, 0) != 0 ? weights.Raw(outc, l) : new float[outc];
        var y = new Blob(outc, 1, 1);
        for (int o = 0; o < outc; o++)
        {
            double sum = b[o];
            for (int c = 0; c < x.C; c++)
                sum += w[o * x.C + c] * x.Data[c];
            y.Data[o] = (float)sum;
        }

        return y;
    }

    private static Blob Activate(NcnnLayer l, Blob x)
    {
        int type = l.Int(9, 0);
        var slope = l.Array(10);
        for (int i = 0; i < x.Data.Length; i++)
        {
            float v = x.Data[i];
            x.Data[i] = type switch
            {
                0 => v,
                1 => Math.Max(v, 0),
                2 => v < 0 ? v * slope[0] : v,
                4 => 1f / (1f + MathF.Exp(-v)),
                _ => throw new NotSupportedException($"activation {type}"),
            };
        }

        return x;
    }

    private static Blob PRelu(NcnnLayer l, Blob x, NcnnWeights weights)
    {
        var slope = weights.Raw(l.Int(0, 1), l);
        var y = new Blob(x.C, x.H, x.W);
        for (int c = 0; c < x.C; c++)
            for (int i = 0; i < x.H * x.W; i++)
            {
                float v = x.Data[c * x.H * x.W + i];
                y.Data[c * x.H * x.W + i] = v < 0 ? v * slope[slope.Length == 1 ? 0 : c] : v;
            }

        return y;
    }

    private static Blob PixelShuffle(Blob x, int r)
    {
        var y = new Blob(x.C / (r * r), x.H * r, x.W * r);
        for (int c = 0; c < y.C; c++)
            for (int i = 0; i < x.H; i++)
                for (int j = 0; j < x.W; j++)
                    for (int u = 0; u < r; u++)
                        for (int v = 0; v < r; v++)
                            y.At(c, i * r + u, j * r + v) = x.At(c * r * r + u * r + v, i, j);
        return y;
    }

    /// <summary>Nearest (source = floor(x / scale)) or bicubic (A = −0.75, pixel centres, edge taps folded onto the edge).</summary>
    private static Blob Interp(NcnnLayer l, Blob x)
    {
        float scale = l.Float(2, 1);
        int oh = (int)Math.Round(x.H * scale), ow = (int)Math.Round(x.W * scale);
        var y = new Blob(x.C, oh, ow);
        bool cubic = l.Int(0, 0) == 3;
        for (int c = 0; c < x.C; c++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    if (!cubic)
                    {
                        y.At(c, i, j) = x.At(c, Math.Min((int)(i / scale), x.H - 1), Math.Min((int)(j / scale), x.W - 1));
                        continue;
                    }

                    double fy = (i + 0.5) / scale - 0.5, fx = (j + 0.5) / scale - 0.5;
                    int sy = (int)Math.Floor(fy), sx = (int)Math.Floor(fx);
                    double sum = 0;
                    for (int u = -1; u <= 2; u++)
                        for (int v = -1; v <= 2; v++)
                            sum += Cubic(fy - (sy + u)) * Cubic(fx - (sx + v)) * x.At(c, Math.Clamp(sy + u, 0, x.H - 1), Math.Clamp(sx + v, 0, x.W - 1));
                    y.At(c, i, j) = (float)sum;
                }

        return y;

        static double Cubic(double d)
        {
            const double a = -0.75;
            d = Math.Abs(d);
            return d <= 1 ? ((a + 2) * d - (a + 3)) * d * d + 1
                : d < 2 ? ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
                : 0;
        }
    }

    private static Blob Elementwise(Blob a, Blob b, Func<float, float, float> f)
    {
        var y = new Blob(a.C, a.H, a.W);
        for (int c = 0; c < a.C; c++)
            for (int i = 0; i < a.H; i++)
                for (int j = 0; j < a.W; j++)
                    y.At(c, i, j) = f(a.At(c, i, j), b.H == 1 && b.W == 1 ? b.Data[c] : b.At(c, i, j));
        return y;
    }

    private static Blob Eltwise(NcnnLayer l, Blob[] x)
    {
        var coefficients = l.Array(1);
        var y = new Blob(x[0].C, x[0].H, x[0].W);
        for (int n = 0; n < x.Length; n++)
            for (int i = 0; i < y.Data.Length; i++)
                y.Data[i] += (coefficients.Length > n ? coefficients[n] : 1f) * x[n].Data[i];
        return y;
    }

    private static Blob Concat(Blob[] x)
    {
        var y = new Blob(x.Sum(b => b.C), x[0].H, x[0].W);
        int offset = 0;
        foreach (var b in x)
        {
            Array.Copy(b.Data, 0, y.Data, offset, b.Data.Length);
            offset += b.Data.Length;
        }

        return y;
    }

    private static Blob Crop(NcnnLayer l, Blob[] x)
    {
        var (startW, endW) = NcnnToOnnx.CropRange(l, horizontal: true);
        var (startH, endH) = NcnnToOnnx.CropRange(l, horizontal: false);
        int h = x.Length == 2 ? x[1].H : (endH < 0 ? x[0].H + endH : Math.Min(endH, x[0].H)) - startH;
        int w = x.Length == 2 ? x[1].W : (endW < 0 ? x[0].W + endW : Math.Min(endW, x[0].W)) - startW;
        var y = new Blob(x[0].C, h, w);
        for (int c = 0; c < y.C; c++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    y.At(c, i, j) = x[0].At(c, i + startH, j + startW);
        return y;
    }

    private static Blob Mean(Blob x)
    {
        var y = new Blob(x.C, 1, 1);
        for (int c = 0; c < x.C; c++)
        {
            double sum = 0;
            for (int i = 0; i < x.H * x.W; i++)
                sum += x.Data[c * x.H * x.W + i];
            y.Data[c] = (float)(sum / (x.H * x.W));
        }

        return y;
    }
}
