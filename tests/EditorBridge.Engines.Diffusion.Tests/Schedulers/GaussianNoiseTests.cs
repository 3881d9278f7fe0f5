using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Tests.Schedulers;

public sealed class GaussianNoiseTests
{
    [Fact]
    public void The_same_seed_gives_the_same_values_bit_for_bit()
    {
        float[] first = new GaussianNoise(1234).Next(10_001);
        float[] second = new GaussianNoise(1234).Next(10_001);

        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Different_seeds_give_different_values() =>
        Assert.NotEqual(new GaussianNoise(1).Next(16), new GaussianNoise(2).Next(16));

    [Fact]
    public void Values_are_standard_normal()
    {
        float[] values = new GaussianNoise(99).Next(200_000);
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        double beyondTwo = values.Count(v => Math.Abs(v) > 2) / (double)values.Length;

        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(beyondTwo, 0.0435, 0.0475); // P(|z| > 2) = 0.0455
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Filling_in_pieces_continues_the_same_stream()
    {
        var whole = new GaussianNoise(5).Next(9);
        var pieces = new GaussianNoise(5);
        var joined = pieces.Next(4).Concat(pieces.Next(5)).ToArray();

        Assert.Equal(whole, joined);
    }
}
