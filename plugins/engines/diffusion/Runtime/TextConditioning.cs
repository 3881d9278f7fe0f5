using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// The text encoder's hidden states for the UNet: with guidance the negative prompt and the prompt
/// as one batch of 2 (in that order, as diffusers batches them), else the prompt alone; prompt
/// weights applied per token. SDXL models add the pooled projection of their second encoder
/// (<see cref="Pooled"/>, [batch, <see cref="PooledWidth"/>]); see <see cref="SdxlTextConditioning"/>.
/// </summary>
internal sealed record TextConditioning(float[] Hidden, int Batch, int Tokens, int Width, TokenizedPrompt Prompt, TokenizedPrompt? Negative)
{
    public long[] Shape => [Batch, Tokens, Width];

    /// <summary>SDXL's <c>text_embeds</c> (the second encoder's pooled projection), batch rows in the order of <see cref="Hidden"/>; null for SD 1.x.</summary>
    public float[]? Pooled { get; init; }

    public int PooledWidth { get; init; }

    public static TextConditioning Encode(ClipTokenizer tokenizer, SessionLease encoder, string prompt, string negativePrompt, bool guided, CancellationToken cancellationToken)
    {
        var positive = tokenizer.Encode(prompt, "prompt");
        var negative = guided ? tokenizer.Encode(negativePrompt, "negative_prompt") : null;
        TokenizedPrompt[] rows = negative is null ? [positive] : [negative, positive];
        var input = encoder.Session.InputMetadata.First();
        var outputName = encoder.Session.OutputNames.Contains("last_hidden_state") ? "last_hidden_state" : encoder.Session.OutputNames[0];
        using var outputs = RunEncoder(encoder, input.Key, input.Value, rows, [outputName], cancellationToken);
        var (hidden, width) = ReadHidden(outputs[0], rows);
        return new TextConditioning(hidden, rows.Length, positive.Ids.Length, width, positive, negative);
    }

    /// <summary>One encoder call for all rows (batch = rows), asking for <paramref name="outputNames"/>.</summary>
    internal static IDisposableReadOnlyCollection<OrtValue> RunEncoder(SessionLease encoder, string inputName, NodeMetadata input, TokenizedPrompt[] rows,
        IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        int tokens = rows[0].Ids.Length;
        var ids = rows.SelectMany(r => r.Ids).ToArray();
        using var idsValue = TensorData.Ids(ids, [rows.Length, tokens], input.ElementDataType);
        return GraphRun.Run(encoder.Session, [inputName], [idsValue], outputNames, cancellationToken);
    }

    /// <summary>A [rows, tokens, width] hidden-state output as floats, prompt weights applied.</summary>
    internal static (float[] Hidden, int Width) ReadHidden(OrtValue output, TokenizedPrompt[] rows)
    {
        int tokens = rows[0].Ids.Length;
        var hidden = TensorData.Read(output);
        var shape = TensorData.Shape(output);
        if (shape.Length != 3 || shape[0] != rows.Length || shape[1] != tokens)
            throw new InvalidOperationException($"the text encoder answered shape [{string.Join(", ", shape)}] for {rows.Length} prompts of {tokens} tokens");
        if (rows.Any(r => r.Weighted))
            WeightedEmbeddings.Apply(hidden, rows.SelectMany(r => r.Weights).ToArray(), tokens);
        return (hidden, (int)shape[2]);
    }
}
