using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EditorBridge.TinyModels.StableDiffusion;

/// <summary>
/// The graphs of a tiny SD 1.5 export. Each has the real export's input/output names, ranks and
/// dtypes and really depends on every input: the text encoder on each token id and position, the
/// UNet on the sample, timestep and text, the VAE on every pixel (convolutions only, so a tiled
/// decode equals a whole one away from tile borders). fp16 variants take and give float16 and
/// keep float16 weights, computing in float32 inside.
/// </summary>
public static class TinyDiffusionGraphs
{
    public const int TextWidth = 768;
    public const int TextWidthXL = 768 + 1280;

    public static int TextWidthOf(TinyDiffusionOptions o) => o.XL ? TextWidthXL : TextWidth;
    public const int Tokens = 77;

    public static TinyGraph TextEncoder(TinyDiffusionOptions o)
    {
        var random = new Random(1);
        var g = new TinyGraph("text_encoder")
            .Input("input_ids", DataType.Int32, "batch", Tokens)
            .Output("last_hidden_state", Float(o), "batch", Tokens, TextWidth)
            .Output("pooler_output", Float(o), "batch", TextWidth);
        Weight(g, o, "id_scale", Values(random, TextWidth, 0.05), 1, 1, TextWidth);
        Weight(g, o, "position", Values(random, Tokens * TextWidth, 1.0), 1, Tokens, TextWidth);
        g.Node("Constant", [], ["axis2"], ("value", Longs(2)))
            .Node("Cast", ["input_ids"], ["ids_f"], ("to", (long)DataType.Float))
            .Node("Unsqueeze", ["ids_f", "axis2"], ["ids_3d"])
            .Node("Mul", ["ids_3d", "id_scale"], ["scaled"])
            .Node("Add", ["scaled", "position"], ["mixed"])
            .Node("Sin", ["mixed"], ["hidden"])
            .Node("ReduceMean", ["hidden"], ["pooled"], ("axes", new long[] { 1 }), ("keepdims", 0L));
        Out(g, o, "hidden", "last_hidden_state");
        Out(g, o, "pooled", "pooler_output");
        return g;
    }

    /// <summary>eps = 0.9·sample[:4] + conv(tanh(conv(sample) + text + time)) (+ ControlNet residuals).</summary>
    public static TinyGraph Unet(TinyDiffusionOptions o)
    {
        var random = new Random(2);
        int channels = o.Inpainting ? 9 : 4;
        int f = o.Features;
        var g = new TinyGraph("unet")
            .Input("sample", Float(o), "batch", channels, "height", "width")
            .Input("timestep", TimestepType(o), o.TimestepPerSample ? "batch" : 1)
            .Input("encoder_hidden_states", Float(o), "batch", Tokens, TextWidthOf(o));
        if (o.XL)
            TinySdxlGraphs.AddedConditioningInputs(g, o);
        if (o.ControlNet)
        {
            g.Input("down_block_additional_residual", Float(o), "batch", 4, "height", "width")
                .Input("mid_block_additional_residual", Float(o), "batch", 4, "height", "width");
        }

        g.Output("out_sample", Float(o), "batch", 4, "height", "width");
        In(g, o, "sample", "x");
        In(g, o, "encoder_hidden_states", "text");
        Weight(g, o, "w1", Values(random, f * channels * 9, 0.3), f, channels, 3, 3);
        Weight(g, o, "b1", Values(random, f, 0.1), f);
        Weight(g, o, "text_scale", Values(random, f, 2.0), 1, f, 1, 1);
        Weight(g, o, "time_scale", Values(random, f, 0.002), 1, f, 1, 1);
        Weight(g, o, "w2", Values(random, 4 * f * 9, 0.1 / Math.Sqrt(f)), 4, f, 3, 3);
        g.Node("Constant", [], ["axis3"], ("value", Longs(3)))
            .Node("Constant", [], ["time_shape"], ("value", Longs(-1, 1, 1, 1)))
            .Node("Constant", [], ["slice_start"], ("value", Longs(0)))
            .Node("Constant", [], ["slice_end"], ("value", Longs(4)))
            .Node("Constant", [], ["slice_axis"], ("value", Longs(1)))
            .Node("Constant", [], ["skip"], ("value", Floats(0.9f)))
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 }));
        if (o.XL)
            TinySdxlGraphs.TextTerm(g, o, random, f, "text_term");
        else
            g.Node("ReduceMean", ["text"], ["text_mean"], ("axes", new long[] { 1, 2 }), ("keepdims", 1L))
                .Node("Unsqueeze", ["text_mean", "axis3"], ["text_4d"])
                .Node("Mul", ["text_4d", "text_scale"], ["text_term"]);
        g
            .Node("Cast", ["timestep"], ["t_f"], ("to", (long)DataType.Float))
            .Node("Reshape", ["t_f", "time_shape"], ["t_4d"])
            .Node("Mul", ["t_4d", "time_scale"], ["time_term"])
            .Node("Add", ["c1", "text_term"], ["h1"])
            .Node("Add", ["h1", "time_term"], ["h2"])
            .Node(o.XL ? "Add" : "Identity", o.XL ? ["h2", TinySdxlGraphs.AddedTerm(g, o, random, f)] : ["h2"], ["h2c"])
            .Node("Tanh", ["h2c"], ["h3"])
            .Node("Conv", ["h3", "w2"], ["c2"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Slice", ["x", "slice_start", "slice_end", "slice_axis"], ["latents"])
            .Node("Mul", ["latents", "skip"], ["kept"])
            .Node("Add", ["kept", "c2"], ["eps"]);
        string result = "eps";
        if (o.ControlNet)
        {
            In(g, o, "down_block_additional_residual", "down_res");
            In(g, o, "mid_block_additional_residual", "mid_res");
            g.Node("Add", ["eps", "down_res"], ["eps_down"]).Node("Add", ["eps_down", "mid_res"], ["eps_control"]);
            result = "eps_control";
        }

        Out(g, o, result, "out_sample");
        return g;
    }

    /// <summary>Residuals from the line art (an 8×8 patch convolution, the VAE's grid) and the sample.</summary>
    public static TinyGraph ControlNet(TinyDiffusionOptions o, int seed = 3)
    {
        var random = new Random(seed);
        var g = new TinyGraph("controlnet")
            .Input("sample", Float(o), "batch", 4, "height", "width")
            .Input("timestep", TimestepType(o), o.TimestepPerSample ? "batch" : 1)
            .Input("encoder_hidden_states", Float(o), "batch", Tokens, TextWidthOf(o))
            .Input("controlnet_cond", Float(o), "batch", 3, "image_height", "image_width")
            .Output("down_block_res_sample", Float(o), "batch", 4, "height", "width")
            .Output("mid_block_res_sample", Float(o), "batch", 4, "height", "width");
        In(g, o, "sample", "x");
        In(g, o, "controlnet_cond", "cond");
        In(g, o, "encoder_hidden_states", "text");
        Weight(g, o, "wc", Values(random, 4 * 3 * 64, 0.05), 4, 3, 8, 8);
        Weight(g, o, "ws", Values(random, 4 * 4 * 9, 0.1), 4, 4, 3, 3);
        g.Node("Conv", ["cond", "wc"], ["down"], ("strides", new long[] { 8, 8 }))
            .Node("Conv", ["x", "ws"], ["sample_term"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("ReduceMean", ["text"], ["text_mean"], ("axes", new long[] { 1, 2 }), ("keepdims", 1L))
            .Node("Constant", [], ["axis3"], ("value", Longs(3)))
            .Node("Unsqueeze", ["text_mean", "axis3"], ["text_4d"])
            .Node("Add", ["sample_term", "text_4d"], ["mid"]);
        Out(g, o, "down", "down_block_res_sample");
        Out(g, o, "mid", "mid_block_res_sample");
        return g;
    }

    public static TinyGraph VaeEncoder(TinyDiffusionOptions o)
    {
        var random = new Random(4);
        var g = new TinyGraph("vae_encoder")
            .Input("sample", Float(o), "batch", 3, "height", "width")
            .Output("latent_sample", Float(o), "batch", 4, "latent_height", "latent_width");
        In(g, o, "sample", "x");
        Weight(g, o, "we", Values(random, 4 * 3 * 64, 0.08), 4, 3, 8, 8);
        g.Node("Conv", ["x", "we"], ["latent"], ("strides", new long[] { 8, 8 }));
        Out(g, o, "latent", "latent_sample");
        return g;
    }

    /// <summary>conv 3×3 on the latents, nearest ×8, conv 3×3, tanh: convolutions only.</summary>
    public static TinyGraph VaeDecoder(TinyDiffusionOptions o)
    {
        var random = new Random(5);
        const int f = 6;
        var g = new TinyGraph("vae_decoder")
            .Input("latent_sample", Float(o), "batch", 4, "latent_height", "latent_width")
            .Output("sample", Float(o), "batch", 3, "height", "width");
        In(g, o, "latent_sample", "z");
        Weight(g, o, "wd1", Values(random, f * 4 * 9, 0.3), f, 4, 3, 3);
        Weight(g, o, "wd2", Values(random, 3 * f * 9, 0.3), 3, f, 3, 3);
        g.Node("Constant", [], ["scales"], ("value", Floats(1f, 1f, 8f, 8f)))
            .Node("Conv", ["z", "wd1"], ["d1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Resize", ["d1", "", "scales"], ["up"], ("mode", "nearest"))
            .Node("Conv", ["up", "wd2"], ["d2"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Tanh", ["d2"], ["image"]);
        Out(g, o, "image", "sample");
        return g;
    }

    internal static DataType Float(TinyDiffusionOptions o) => o.Half ? DataType.Float16 : DataType.Float;

    private static DataType TimestepType(TinyDiffusionOptions o) => o.Timestep switch
    {
        "int64" => DataType.Int64,
        "float32" => DataType.Float,
        "float16" => DataType.Float16,
        _ => throw new ArgumentException($"timestep dtype '{o.Timestep}': int64, float32 or float16"),
    };

    internal static void Weight(TinyGraph g, TinyDiffusionOptions o, string name, float[] values, params long[] dims)
    {
        if (!o.Half)
        {
            g.Weight(name, values, dims);
            return;
        }

        g.HalfWeight(name + "_fp16", values, dims).Node("Cast", [name + "_fp16"], [name], ("to", (long)DataType.Float));
    }

    internal static void In(TinyGraph g, TinyDiffusionOptions o, string input, string name) =>
        g.Node(o.Half ? "Cast" : "Identity", [input], [name], o.Half ? [("to", (long)DataType.Float)] : []);

    internal static void Out(TinyGraph g, TinyDiffusionOptions o, string value, string output) =>
        g.Node(o.Half ? "Cast" : "Identity", [value], [output], o.Half ? [("to", (long)DataType.Float16)] : []);

    // Small shape and axis tensors are Constant nodes, not initializers: they stay inside the graph when the
    // weights go to an external file (as real exports keep them), where shape inference can read them.
    internal static TensorProto Longs(params long[] values)
    {
        var tensor = new TensorProto { DataType = (int)DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    private static TensorProto Floats(params float[] values)
    {
        var tensor = new TensorProto { DataType = (int)DataType.Float };
        tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    internal static float[] Values(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
}
