using System.Collections.Concurrent;
using Onnx;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// What sizes a graph's work memory, read from its Conv weights: the widest output (channels of a
/// live feature map) and the widest unfolded input (ONNX Runtime's CPU Conv unfolds the input of a
/// k×k kernel into Cin·k·k rows per pixel before its matrix product), and whether it has attention
/// (Softmax). Read once per graph file; a graph file larger than <see cref="MaxGraphBytes"/> (weights
/// inside, e.g. a single-file fp16 export) is not parsed and gets SD 1.5's UNet widths instead.
/// </summary>
internal sealed record ConvWidths(int WidestOutput, int WidestUnfold, bool HasAttention)
{
    public const long MaxGraphBytes = 64L << 20;

    /// <summary>SD 1.5's UNet: 1280 channels in the deep blocks, 2560-channel 3×3 convolutions after the skip concatenation, 8-head attention.</summary>
    public static readonly ConvWidths StableDiffusion15Unet = new(1280, 2560 * 9, true);

    private static readonly ConcurrentDictionary<(string, DateTime), ConvWidths> Cache = new();

    public static ConvWidths Of(string graphPath)
    {
        var file = new FileInfo(graphPath);
        if (!file.Exists || file.Length > MaxGraphBytes)
            return StableDiffusion15Unet;
        return Cache.GetOrAdd((file.FullName, file.LastWriteTimeUtc), _ => Read(file));
    }

    private static ConvWidths Read(FileInfo file)
    {
        GraphProto graph;
        using (var stream = file.OpenRead())
            graph = ModelProto.Parser.ParseFrom(stream).Graph;
        var dims = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims);
        // fp16 exports that compute in float32 cast their weights first: look through the Cast
        var casts = graph.Node.Where(n => n.OpType == "Cast" && n.Input.Count == 1).ToDictionary(n => n.Output[0], n => n.Input[0]);
        int output = 0, unfold = 0;
        foreach (var node in graph.Node.Where(n => n.OpType == "Conv" && n.Input.Count > 1))
        {
            var weight = casts.GetValueOrDefault(node.Input[1], node.Input[1]);
            if (!dims.TryGetValue(weight, out var w) || w.Count != 4)
                continue;
            output = Math.Max(output, (int)w[0]);
            if (w[2] * w[3] > 1)
                unfold = Math.Max(unfold, (int)(w[1] * w[2] * w[3]));
        }

        return new ConvWidths(output, unfold, graph.Node.Any(n => n.OpType == "Softmax"));
    }
}
