using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

public sealed class WeightedEmbeddingsTests
{
    private static float[] Hidden(int rows, int tokens, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * tokens * width).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray();
    }

    [Fact]
    public void Emphasis_changes_token_ratios_and_keeps_the_row_mean()
    {
        const int tokens = 77, width = 8;
        float[] hidden = Hidden(1, tokens, width, 1);
        float[] original = (float[])hidden.Clone();
        float[] weights = Enumerable.Repeat(1f, tokens).ToArray();
        weights[5] = 1.5f;

        WeightedEmbeddings.Apply(hidden, weights);

        Assert.Equal(original.Average(), hidden.Average(), 1e-5);
        // Token 5 grew by 1.5 relative to an unweighted token; every unweighted token was scaled alike.
        double scale = hidden[0] / original[0];
        for (int i = 0; i < width; i++)
        {
            Assert.Equal(1.5 * scale * original[5 * width + i], hidden[5 * width + i], 1e-4);
            Assert.Equal(scale * original[9 * width + i], hidden[9 * width + i], 1e-4);
        }
        Assert.NotEqual(1.0, scale, 3);
    }

    [Fact]
    public void Each_row_keeps_its_own_mean_and_weights()
    {
        const int tokens = 4, width = 3;
        float[] hidden = Hidden(2, tokens, width, 2);
        float[] original = (float[])hidden.Clone();
        float[] weights = [1f, 2f, 1f, 1f, /* second row unweighted */ 1f, 1f, 1f, 1f];

        WeightedEmbeddings.Apply(hidden, weights, tokensPerRow: tokens);

        Assert.Equal(original.Take(12).Average(), hidden.Take(12).Average(), 1e-5);
        Assert.Equal(original.Skip(12), hidden.Skip(12));
        Assert.NotEqual(original.Take(12), hidden.Take(12));
    }

    [Fact]
    public void Unit_weights_leave_the_states_untouched()
    {
        float[] hidden = Hidden(1, 77, 4, 3);
        float[] original = (float[])hidden.Clone();

        WeightedEmbeddings.Apply(hidden, Enumerable.Repeat(1f, 77).ToArray());

        Assert.Equal(original, hidden);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WeightedEmbeddings.Apply(new float[77 * 8], new float[76], tokensPerRow: 76 * 2));
        Assert.Throws<ArgumentException>(() => WeightedEmbeddings.Apply(new float[100], Enumerable.Repeat(1f, 77).ToArray()));
    }
}
