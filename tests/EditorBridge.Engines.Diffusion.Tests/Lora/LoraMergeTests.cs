using EditorBridge.Lora;
using EditorBridge.Testing;
using EditorBridge.TinyModels;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EditorBridge.Engines.Diffusion.Tests.Lora;

/// <summary>
/// LoRA pairs merged into a graph with torch.onnx's naming: a Linear exported as a MatMul node named
/// by its module path with an anonymous transposed [in, out] weight, and a Conv whose weight keeps
/// its PyTorch name. The merged weights must equal W + strength·alpha/rank·(up·down), computed here
/// independently, for kohya and diffusers key naming, fp32 inline and fp16 external weights.
/// </summary>
public sealed class LoraMergeTests : IDisposable
{
    private const string Attention = "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q";
    private const int In = 4, Out = 3, Rank = 2, ConvIn = 2, ConvOut = 3;
    private readonly TempDirectory temp = new("lora-merge");
    private readonly Random random = new(5);

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Kohya_pairs_merge_into_fp32_inline_weights_exactly()
    {
        var (graph, matmul, conv) = WriteGraph(half: false, external: false);
        var lora = Pairs(alpha: 1f);

        var merged = LoraGraphMerge.Apply(graph, LoraFile.Parse(Kohya(lora)).Modules, strength: 0.8);

        Assert.Equal(["conv_in", Attention.Replace('.', '_')], merged.Order());
        var weights = Read(graph);
        AssertClose(Expected(matmul, lora.Attention, 0.8f * 1f / Rank, transposed: true), weights["onnx::MatMul_7"], 1e-6f);
        AssertClose(Expected(conv, lora.Conv, 0.8f * 1f / Rank, transposed: false), weights["conv_in.weight"], 1e-6f);
    }

    [Fact]
    public void Diffusers_pairs_merge_into_fp16_weights_in_the_external_file()
    {
        var (graph, matmul, conv) = WriteGraph(half: true, external: true);
        var lora = Pairs(alpha: null);
        var tensors = new Dictionary<string, (long[], float[])>
        {
            [$"unet.{Attention}.lora_A.weight"] = ([Rank, In], lora.Attention.Down),
            [$"unet.{Attention}.lora_B.weight"] = ([Out, Rank], lora.Attention.Up),
            ["unet.conv_in.lora_A.weight"] = ([Rank, ConvIn, 3, 3], lora.Conv.Down),
            ["unet.conv_in.lora_B.weight"] = ([ConvOut, Rank, 1, 1], lora.Conv.Up),
        };
        var file = Path.Combine(temp.Path, "d.safetensors");
        SafeTensorsFile.Write(file, tensors, half: true);

        LoraGraphMerge.Apply(graph, LoraFile.Load(file).Modules, strength: 1.5);

        var weights = Read(graph);
        // fp16 storage: the LoRA and the merged weight each round once (a half's step is 2^-11 relative, ~5e-4 at these magnitudes)
        AssertClose(Expected(matmul, Rounded(lora.Attention), 1.5f, transposed: true), weights["onnx::MatMul_7"], 2e-3f);
        AssertClose(Expected(conv, Rounded(lora.Conv), 1.5f, transposed: false), weights["conv_in.weight"], 2e-3f);
    }

    [Fact]
    public void A_transposed_merge_is_caught_by_the_oracle()
    {
        var (_, matmul, _) = WriteGraph(half: false, external: false);
        var lora = Pairs(alpha: 1f);

        var right = Expected(matmul, lora.Attention, 0.5f, transposed: true);
        var wrong = Expected(matmul, lora.Attention, 0.5f, transposed: false);

        Assert.Contains(right.Zip(wrong), p => Math.Abs(p.First - p.Second) > 1e-3f);
    }

    [Fact]
    public void Keys_for_modules_the_graph_lacks_merge_nothing()
    {
        var (graph, _, _) = WriteGraph(half: false, external: false);
        var tensors = new Dictionary<string, (long[], float[])>
        {
            ["lora_unet_mid_block_attentions_0_proj_in.lora_down.weight"] = ([Rank, In], new float[Rank * In]),
            ["lora_unet_mid_block_attentions_0_proj_in.lora_up.weight"] = ([Out, Rank], new float[Out * Rank]),
        };

        Assert.Empty(LoraGraphMerge.Apply(graph, LoraFile.Parse(ToTensors(tensors)).Modules, 1));
    }

    private sealed record Pair(float[] Down, float[] Up, float? Alpha);

    private (Pair Attention, Pair Conv) Pairs(float? alpha) =>
        (new Pair(Values(Rank * In), Values(Out * Rank), alpha), new Pair(Values(Rank * ConvIn * 9), Values(ConvOut * Rank), alpha));

    private static IReadOnlyDictionary<string, LoraTensor> Kohya((Pair Attention, Pair Conv) lora)
    {
        string a = "lora_unet_" + Attention.Replace('.', '_'), c = "lora_unet_conv_in";
        return ToTensors(new Dictionary<string, (long[], float[])>
        {
            [a + ".lora_down.weight"] = ([Rank, In], lora.Attention.Down),
            [a + ".lora_up.weight"] = ([Out, Rank], lora.Attention.Up),
            [a + ".alpha"] = ([], [lora.Attention.Alpha!.Value]),
            [c + ".lora_down.weight"] = ([Rank, ConvIn, 3, 3], lora.Conv.Down),
            [c + ".lora_up.weight"] = ([ConvOut, Rank, 1, 1], lora.Conv.Up),
            [c + ".alpha"] = ([], [lora.Conv.Alpha!.Value]),
        });
    }

    private static IReadOnlyDictionary<string, LoraTensor> ToTensors(Dictionary<string, (long[] Shape, float[] Values)> tensors) =>
        tensors.ToDictionary(t => t.Key, t => new LoraTensor(t.Value.Shape, t.Value.Values));

    // W + scale·(up·down), written with plain loops; MatMul weights are stored [in, out]
    private static float[] Expected(float[] weight, Pair pair, float scale, bool transposed)
    {
        int outputs = pair.Up.Length / Rank, inputs = pair.Down.Length / Rank;
        var result = (float[])weight.Clone();
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double sum = 0;
                for (int r = 0; r < Rank; r++)
                    sum += pair.Up[o * Rank + r] * pair.Down[r * inputs + i];
                result[transposed ? i * outputs + o : o * inputs + i] += (float)(scale * sum);
            }
        }

        return result;
    }

    private static Pair Rounded(Pair pair) => new(pair.Down.Select(v => (float)(Half)v).ToArray(), pair.Up.Select(v => (float)(Half)v).ToArray(), pair.Alpha);

    private (string Path, float[] MatMul, float[] Conv) WriteGraph(bool half, bool external)
    {
        var matmul = Values(In * Out);
        var conv = Values(ConvOut * ConvIn * 9);
        var g = new TinyGraph("unet")
            .Input("x", DataType.Float, 1, In)
            .Input("image", DataType.Float, 1, ConvIn, 5, 5)
            .Output("y", DataType.Float, 1, Out)
            .Output("z", DataType.Float, 1, ConvOut, 3, 3);
        if (half)
        {
            g.HalfWeight("onnx::MatMul_7", matmul, In, Out).HalfWeight("conv_in.weight", conv, ConvOut, ConvIn, 3, 3)
                .Node("Cast", ["onnx::MatMul_7"], ["w_q"], ("to", (long)DataType.Float))
                .Node("Cast", ["conv_in.weight"], ["w_c"], ("to", (long)DataType.Float));
        }
        else
        {
            g.Weight("onnx::MatMul_7", matmul, In, Out).Weight("conv_in.weight", conv, ConvOut, ConvIn, 3, 3);
        }

        // fp16 (as the tiny diffusion graphs compute): the weight reaches the node through a Cast
        g.Node("MatMul", ["x", half ? "w_q" : "onnx::MatMul_7"], ["y"]).Named($"/{Attention.Replace('.', '/')}/MatMul")
            .Node("Conv", ["image", half ? "w_c" : "conv_in.weight"], ["z"]).Named("/conv_in/Conv");
        var path = Path.Combine(temp.Path, $"g{(half ? 16 : 32)}", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        g.Save(path, external ? "model.onnx_data" : null);
        return (path, matmul, conv);
    }

    private static Dictionary<string, float[]> Read(string graph)
    {
        EditorBridge.Inference.OnnxRuntimeEnvironment.Ensure();
        using var stillLoads = new Microsoft.ML.OnnxRuntime.InferenceSession(graph);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(graph));
        return model.Graph.Initializer.ToDictionary(t => t.Name, t => Values(graph, t));
    }

    private static float[] Values(string graph, TensorProto t)
    {
        bool half = t.DataType == (int)DataType.Float16;
        byte[] bytes;
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            var entries = t.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            long offset = entries.TryGetValue("offset", out var o) ? long.Parse(o) : 0;
            long length = long.Parse(entries["length"]);
            using var file = File.OpenRead(Path.Combine(Path.GetDirectoryName(graph)!, entries["location"]));
            bytes = new byte[length];
            file.Position = offset;
            file.ReadExactly(bytes);
        }
        else if (!t.RawData.IsEmpty)
        {
            bytes = t.RawData.ToByteArray();
        }
        else
        {
            return t.FloatData.ToArray();
        }

        return half
            ? Enumerable.Range(0, bytes.Length / 2).Select(i => (float)BitConverter.ToHalf(bytes, i * 2)).ToArray()
            : Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, float relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1, Math.Abs(expected[i])), $"weight {i}: expected {expected[i]}, got {actual[i]}");
    }

    private float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
