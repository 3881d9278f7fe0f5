namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>Applies per-token prompt weights to the text encoder's hidden states.</summary>
public static class WeightedEmbeddings
{
    /// <summary>
    /// Multiplies each token's vector by its weight, in place, then rescales each prompt's row so
    /// the mean over the whole row is what it was. Scaling alone would also change the overall
    /// magnitude the UNet sees (every weight &gt; 1 brightens the whole conditioning); restoring the
    /// mean keeps the emphasis relative between tokens, which is what the A1111 web UI popularised.
    /// </summary>
    /// <param name="hiddenStates">[rows × tokensPerRow × width], row-major: one row per prompt.</param>
    /// <param name="weights">[rows × tokensPerRow]: the <see cref="TokenizedPrompt.Weights"/> of each row's prompt, in order.</param>
    public static void Apply(float[] hiddenStates, float[] weights, int tokensPerRow = ClipTokenizer.MaxLength)
    {
        ArgumentNullException.ThrowIfNull(hiddenStates);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerRow);
        if (weights.Length == 0 || weights.Length % tokensPerRow != 0)
            throw new ArgumentException($"{weights.Length} weights are not whole rows of {tokensPerRow} tokens", nameof(weights));
        if (hiddenStates.Length % weights.Length != 0)
            throw new ArgumentException($"{hiddenStates.Length} hidden values do not split into {weights.Length} token vectors", nameof(hiddenStates));
        int width = hiddenStates.Length / weights.Length;
        int rowLength = tokensPerRow * width;
        for (int row = 0; row < weights.Length / tokensPerRow; row++)
            ApplyRow(hiddenStates.AsSpan(row * rowLength, rowLength), weights.AsSpan(row * tokensPerRow, tokensPerRow), width);
    }

    private static void ApplyRow(Span<float> row, ReadOnlySpan<float> weights, int width)
    {
        if (!weights.ContainsAnyExcept(1f))
            return;
        double before = Sum(row);
        for (int token = 0; token < weights.Length; token++)
        {
            Span<float> vector = row.Slice(token * width, width);
            for (int i = 0; i < width; i++)
                vector[i] *= weights[token];
        }
        double after = Sum(row);
        // A mean of (almost) zero cannot be restored by scaling; leave the weighted values as they are.
        if (Math.Abs(after) < 1e-12 || Math.Abs(before) < 1e-12)
            return;
        float correction = (float)(before / after);
        for (int i = 0; i < row.Length; i++)
            row[i] *= correction;
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
            sum += value;
        return sum;
    }
}
