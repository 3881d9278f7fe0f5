namespace EditorBridge.Engines.Classic;

/// <summary>xorshift64* generator, so fills are reproducible whatever System.Random does.</summary>
internal sealed class XorShiftRandom
{
    private ulong _state;

    public XorShiftRandom(ulong seed)
    {
        // SplitMix64 scrambles the seed so that 0 and other small seeds still give a nonzero, well-mixed state.
        ulong z = seed + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        _state = (z ^ (z >> 31)) | 1UL;
    }

    /// <summary>A uniform integer in [0, bound).</summary>
    public int Next(int bound)
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        ulong high = (_state * 0x2545F4914F6CDD1DUL) >> 32;
        return (int)((high * (ulong)bound) >> 32);
    }
}
