namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>
/// A prompt as the text encoder takes it: exactly <see cref="ClipTokenizer.MaxLength"/> ids
/// (start token, text, end token, padding) and one weight per position (1 for the special tokens and padding).
/// </summary>
/// <param name="DroppedTokenCount">Text tokens cut off because the prompt was too long (0 = all kept).</param>
/// <param name="DroppedText">The start of the cut-off text (a few words), empty when nothing was cut.</param>
/// <param name="KeptText">The end of the text that still fits, for "prompt truncated after …".</param>
public sealed record TokenizedPrompt(int[] Ids, float[] Weights, int DroppedTokenCount, string DroppedText, string KeptText)
{
    public bool Truncated => DroppedTokenCount > 0;

    /// <summary>Whether any position carries a weight other than 1.</summary>
    public bool Weighted => Weights.Any(w => w != 1f);
}
