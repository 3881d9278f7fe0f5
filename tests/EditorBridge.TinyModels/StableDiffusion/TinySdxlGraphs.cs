using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;
using static EditorBridge.TinyModels.StableDiffusion.TinyDiffusionGraphs;

namespace EditorBridge.TinyModels.StableDiffusion;

/// <summary>
/// The parts of a tiny SDXL export that SD 1.5 lacks, with the real export's names, ranks and
/// widths: text encoders that output <c>hidden_states.0</c> … <c>hidden_states.2</c> beside
/// <c>last_hidden_state</c> (the penultimate, <c>hidden_states.1</c>, differs from the last), the
/// second with its pooled projection <c>text_embeds</c> [b, 1280] first; a UNet that also takes
/// <c>text_embeds</c> [b, 1280] and <c>time_ids</c> [b, 6] and really depends on both.
/// </summary>
internal static class TinySdxlGraphs
{
    public const int FirstWidth = 768;
    public const int SecondWidth = 1280;
    public const int HiddenLayers = 3;

    /// <summary>CLIP ViT-L (<paramref name="second"/> false) or OpenCLIP bigG with projection (true).</summary>
    public static TinyGraph TextEncoder(TinyDiffusionOptions o, bool second)
    {
        int width = second ? SecondWidth : FirstWidth;
        var random = new Random(second ? 12 : 11);
        var g = new TinyGraph(second ? "text_encoder_2" : "text_encoder").Input("input_ids", DataType.Int32, "batch", Tokens);
        if (second)
            g.Output("text_embeds", Float(o), "batch", width);
        g.Output("last_hidden_state", Float(o), "batch", Tokens, width);
        if (!second)
            g.Output("pooler_output", Float(o), "batch", width);
        for (int layer = 0; layer < HiddenLayers; layer++)
            g.Output($"hidden_states.{layer}", Float(o), "batch", Tokens, width);
        Weight(g, o, "id_scale", Values(random, width, 0.05), 1, 1, width);
        Weight(g, o, "position", Values(random, Tokens * width, 1.0), 1, Tokens, width);
        g.Node("Constant", [], ["axis2"], ("value", Longs(2)))
            .Node("Cast", ["input_ids"], ["ids_f"], ("to", (long)DataType.Float))
            .Node("Unsqueeze", ["ids_f", "axis2"], ["ids_3d"])
            .Node("Mul", ["ids_3d", "id_scale"], ["scaled"])
            .Node("Add", ["scaled", "position"], ["mixed"])
            .Node("Sin", ["mixed"], ["layer0"])
            .Node("Cos", ["layer0"], ["layer1"])
            .Node("Tanh", ["layer1"], ["layer2"])
            .Node("Neg", ["layer2"], ["final"])
            .Node("ReduceMean", ["final"], ["pooled"], ("axes", new long[] { 1 }), ("keepdims", 0L));
        for (int layer = 0; layer < HiddenLayers; layer++)
            Out(g, o, $"layer{layer}", $"hidden_states.{layer}");
        Out(g, o, "final", "last_hidden_state");
        Out(g, o, "pooled", second ? "text_embeds" : "pooler_output");
        return g;
    }

    /// <summary>
    /// The text term for the 2048-wide states: mean over tokens, then a projection to the features
    /// (a full reduction over 77·2048 values would be split across ONNX Runtime's threads in an order
    /// that varies with load, so two runs could differ in the last bit).
    /// </summary>
    public static void TextTerm(TinyGraph g, TinyDiffusionOptions o, Random random, int features, string output)
    {
        Weight(g, o, "text_proj", Values(random, TinyDiffusionGraphs.TextWidthXL * features, 2.0 / Math.Sqrt(TinyDiffusionGraphs.TextWidthXL)), TinyDiffusionGraphs.TextWidthXL, features);
        g.Node("ReduceMean", ["text"], ["text_mean"], ("axes", new long[] { 1 }), ("keepdims", 0L))
            .Node("MatMul", ["text_mean", "text_proj"], ["text_features"])
            .Node("Constant", [], ["text_shape"], ("value", Longs(0, -1, 1, 1)))
            .Node("Reshape", ["text_features", "text_shape"], [output]);
    }

    public static void AddedConditioningInputs(TinyGraph g, TinyDiffusionOptions o) =>
        g.Input("text_embeds", Float(o), "batch", SecondWidth).Input("time_ids", Float(o), "batch", 6);

    /// <summary>A [b, f, 1, 1] term: text_embeds·P + time_ids·T (T scaled for sizes in the hundreds). Returns its value's name.</summary>
    public static string AddedTerm(TinyGraph g, TinyDiffusionOptions o, Random random, int features)
    {
        In(g, o, "text_embeds", "pooled_f");
        In(g, o, "time_ids", "time_ids_f");
        Weight(g, o, "pooled_proj", Values(random, SecondWidth * features, 1.0 / Math.Sqrt(SecondWidth)), SecondWidth, features);
        Weight(g, o, "time_proj", Values(random, 6 * features, 0.004), 6, features);
        g.Node("Constant", [], ["added_shape"], ("value", Longs(0, -1, 1, 1)))
            .Node("MatMul", ["pooled_f", "pooled_proj"], ["pooled_term"])
            .Node("MatMul", ["time_ids_f", "time_proj"], ["time_ids_term"])
            .Node("Add", ["pooled_term", "time_ids_term"], ["added"])
            .Node("Reshape", ["added", "added_shape"], ["added_4d"]);
        return "added_4d";
    }
}
