using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>The input and output metadata of one graph, read with a CPU session that optimises nothing and is closed at once.</summary>
internal sealed record GraphSignature(IReadOnlyDictionary<string, NodeMetadata> Inputs, IReadOnlyDictionary<string, NodeMetadata> Outputs)
{
    public static GraphSignature Read(string graphPath)
    {
        using var session = SessionOpener.Inspect(graphPath);
        return new GraphSignature(
            session.InputMetadata.ToDictionary(p => p.Key, p => p.Value),
            session.OutputMetadata.ToDictionary(p => p.Key, p => p.Value));
    }
}
