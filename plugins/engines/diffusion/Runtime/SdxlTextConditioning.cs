using System.Globalization;
using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// SDXL's text conditioning, as diffusers' <c>StableDiffusionXLPipeline.encode_prompt</c> makes it
/// (src/diffusers/pipelines/stable_diffusion_xl/pipeline_stable_diffusion_xl.py at commit
/// 0049e443dcfe8af0341d99b8c5de595bd6e99b5d): each encoder's penultimate hidden states
/// (<c>hidden_states[-2]</c>, in an ONNX export the second-highest <c>hidden_states.N</c> output),
/// concatenated on the last axis (768 + 1280 = 2048 for SDXL); the pooled output (<c>text_embeds</c>,
/// the first output) of the second encoder; and, with <c>force_zeros_for_empty_prompt</c> and no
/// negative prompt, zeros for the unconditional row instead of encoding an empty prompt.
/// </summary>
internal static class SdxlTextConditioning
{
    public const string PooledOutput = "text_embeds";
    private const string HiddenPrefix = "hidden_states.";

    public static TextConditioning Encode(IReadOnlyList<(ClipTokenizer Tokenizer, SessionLease Encoder)> encoders, string prompt, string negativePrompt,
        bool guided, bool zeroEmptyNegative, CancellationToken cancellationToken)
    {
        bool zeros = guided && zeroEmptyNegative && string.IsNullOrWhiteSpace(negativePrompt);
        bool encodeNegative = guided && !zeros;
        var parts = new List<(float[] Hidden, int Width)>();
        float[] pooled = [];
        int pooledWidth = 0;
        TokenizedPrompt? firstPositive = null, firstNegative = null;
        for (int e = 0; e < encoders.Count; e++)
        {
            var (tokenizer, encoder) = encoders[e];
            var positive = tokenizer.Encode(prompt, "prompt");
            var negative = encodeNegative ? tokenizer.Encode(negativePrompt, "negative_prompt") : null;
            firstPositive ??= positive;
            firstNegative ??= negative;
            TokenizedPrompt[] rows = negative is null ? [positive] : [negative, positive];
            var input = encoder.Session.InputMetadata.First();
            string hiddenName = PenultimateHidden(encoder.Session.OutputNames)
                ?? throw new InvalidOperationException($"text encoder {e + 1} exports no hidden_states.N outputs (SDXL uses the penultimate layer)");
            bool last = e == encoders.Count - 1;
            string pooledName = encoder.Session.OutputNames.Contains(PooledOutput) ? PooledOutput : encoder.Session.OutputNames[0];
            using var outputs = TextConditioning.RunEncoder(encoder, input.Key, input.Value, rows,
                last ? [hiddenName, pooledName] : [hiddenName], cancellationToken);
            parts.Add(TextConditioning.ReadHidden(outputs[0], rows));
            if (last)
            {
                pooled = TensorData.Read(outputs[1]);
                pooledWidth = pooled.Length / rows.Length;
            }
        }

        int tokens = firstPositive!.Ids.Length;
        int rowsEncoded = encodeNegative ? 2 : 1;
        var hidden = Concatenate(parts, rowsEncoded, tokens);
        int width = parts.Sum(p => p.Width);
        if (zeros)
        {
            // [zeros, prompt]: the unconditional row is all zeros, hidden states and pooled alike
            hidden = [.. new float[hidden.Length], .. hidden];
            pooled = [.. new float[pooled.Length], .. pooled];
        }

        int batch = guided ? 2 : 1;
        return new TextConditioning(hidden, batch, tokens, width, firstPositive, firstNegative) { Pooled = pooled, PooledWidth = pooledWidth };
    }

    /// <summary>The penultimate layer's output name (<c>hidden_states.{N-1}</c> of N+1 hidden-state outputs), or null.</summary>
    public static string? PenultimateHidden(IEnumerable<string> outputNames)
    {
        var layers = outputNames
            .Where(n => n.StartsWith(HiddenPrefix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n.AsSpan(HiddenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
            .Where(i => i >= 0)
            .Order()
            .ToList();
        return layers.Count < 2 ? null : HiddenPrefix + layers[^2].ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>[rows, tokens, w1] ⧺ [rows, tokens, w2] ⧺ … on the last axis.</summary>
    public static float[] Concatenate(IReadOnlyList<(float[] Hidden, int Width)> parts, int rows, int tokens)
    {
        int width = parts.Sum(p => p.Width);
        var result = new float[rows * tokens * width];
        for (int r = 0; r < rows * tokens; r++)
        {
            int offset = r * width;
            foreach (var (hidden, w) in parts)
            {
                Array.Copy(hidden, r * w, result, offset, w);
                offset += w;
            }
        }

        return result;
    }

    /// <summary>
    /// SDXL's size conditioning for one picture: original size (height, width), crop top-left
    /// (0, 0) and target size (height, width), as <c>_get_add_time_ids</c> concatenates them (same
    /// file and commit as above); diffusers uses the picture's own size for both sizes by default,
    /// and the same values for the unconditional row.
    /// </summary>
    public static float[] TimeIds(int width, int height) => [height, width, 0, 0, height, width];
}
