using EditorBridge.Inference;
using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>One run of a model: tensors in (disposed after the run), one picture output read back as planes.</summary>
internal static class ModelPass
{
    public static PlanarImage Run(InferenceSession session, IReadOnlyList<(TensorDescription Description, OrtValue Value)> inputs, TensorDescription output, CancellationToken cancellationToken, float[]? reuse = null)
    {
        using var results = ModelCall.Run(session, inputs.Select(i => (i.Description.Name, i.Value)).ToList(), [output.Name], cancellationToken);
        return ImageTensors.ToPlanar(results.First(), output, reuse);
    }

    /// <summary>A picture-to-picture model on one picture at the model's own input size.</summary>
    public static PlanarImage Picture(InferenceSession session, byte[] rgba, int width, int height, TensorDescription input, TensorDescription output, CancellationToken cancellationToken, float[]? reuse = null) =>
        Run(session, [(input, ImageTensors.FromRgba(rgba, width, height, input))], output, cancellationToken, reuse);

    /// <summary>
    /// Runs each tile of a tiled run through the model, reading every answer into one reused array
    /// (the tiled run has consumed a tile's answer before it asks for the next).
    /// </summary>
    public static Func<TileInput, CancellationToken, Task<PlanarImage>> Tiles(InferenceSession session, TensorDescription input, TensorDescription output)
    {
        float[]? reuse = null;
        return (tile, token) =>
        {
            var answer = Picture(session, tile.Rgba, tile.Width, tile.Height, input, output, token, reuse);
            reuse = answer.Data;
            return Task.FromResult(answer);
        };
    }

    /// <summary>Reports tile progress as the engine's progress.</summary>
    public static IProgress<(int Done, int Total)> ProgressOf(IProgress<EngineProgress> progress) => new TileProgress(progress);

    /// <summary>Passes each finished tile on at once, on the running thread (Progress&lt;T&gt; would post it later, out of order).</summary>
    private sealed class TileProgress(IProgress<EngineProgress> progress) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => progress.Report(new EngineProgress(value.Done, value.Total, "tile"));
    }
}
