namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// Deterministic standard-normal numbers from a seed: SplitMix64 (a counter-based generator, so the
/// stream depends only on the seed and position) through the Box–Muller transform. The same seed
/// gives the same floats on every run and thread, independent of <see cref="Random"/>'s algorithm.
/// </summary>
public sealed class GaussianNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong counter;
    private float? spare;

    public GaussianNoise(ulong seed)
    {
        Seed = seed;
        counter = seed;
    }

    public ulong Seed { get; }

    /// <summary>The next standard-normal value.</summary>
    public float Next()
    {
        if (spare is { } cached)
        {
            spare = null;
            return cached;
        }
        // (0, 1]: never 0, so the logarithm stays finite.
        double u1 = ((NextBits() >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (NextBits() >> 11) * (1.0 / (1UL << 53));
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        spare = (float)(radius * Math.Sin(angle));
        return (float)(radius * Math.Cos(angle));
    }

    public void Fill(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = Next();
    }

    public float[] Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new float[count];
        Fill(values);
        return values;
    }

    private ulong NextBits()
    {
        ulong z = counter += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
