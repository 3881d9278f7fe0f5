using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// The text encoder's hidden states for the UNet: with guidance the negative prompt and the prompt
/// as one batch of 2 (in that order, as diffusers batches them), else the prompt alone; prompt
/// weights applied per token.
/// </summary>
internal sealed record TextConditioning(float[] Hidden, int Batch, int Tokens, int Width, TokenizedPrompt Prompt, TokenizedPrompt? Negative)
{
    public long[] Shape => [Batch, Tokens, Width];

    public static TextConditioning Encode(ClipTokenizer tokenizer, SessionLease encoder, string prompt, string negativePrompt, bool guided, CancellationToken cancellationToken)
    {
        var positive = tokenizer.Encode(prompt, "prompt");
        var negative = guided ? tokenizer.Encode(negativePrompt, "negative_prompt") : null;
        TokenizedPrompt[] rows = negative is null ? [positive] : [negative, positive];
        int tokens = positive.Ids.Length;
        var ids = rows.SelectMany(r => r.Ids).ToArray();
        var input = encoder.Session.InputMetadata.First();
        var outputName = encoder.Session.OutputNames.Contains("last_hidden_state") ? "last_hidden_state" : encoder.Session.OutputNames[0];
        using var idsValue = TensorData.Ids(ids, [rows.Length, tokens], input.Value.ElementDataType);
        using var outputs = GraphRun.Run(encoder.Session, [input.Key], [idsValue], [outputName], cancellationToken);
        var hidden = TensorData.Read(outputs[0]);
        var shape = TensorData.Shape(outputs[0]);
        if (shape.Length != 3 || shape[0] != rows.Length || shape[1] != tokens)
            throw new InvalidOperationException($"the text encoder answered shape [{string.Join(", ", shape)}] for {rows.Length} prompts of {tokens} tokens");
        if (rows.Any(r => r.Weighted))
            WeightedEmbeddings.Apply(hidden, rows.SelectMany(r => r.Weights).ToArray(), tokens);
        return new TextConditioning(hidden, rows.Length, tokens, (int)shape[2], positive, negative);
    }
}
