using System.Runtime.InteropServices;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// The default fill: structure from a smooth membrane over the hole (<see cref="HarmonicFill"/>) with the edges
/// around it continued along their direction (<see cref="IsophoteFill"/>), texture from the
/// fine detail of a coarse-to-fine exemplar fill (<see cref="DetailTransfer"/>), where the surroundings are busy. Two kinds of picture get the copies
/// themselves, whole: where they match their surroundings to within <see cref="ExactMismatch"/> levels (the picture
/// repeats), and flat-colour artwork (at least <see cref="FlatShare"/> of the pixels around the hole equal all four
/// neighbours), where a smooth membrane would paint gradients that were never there. One or the other, per fill:
/// the two are never mixed.
/// </summary>
internal static class AutoFill
{
    /// <summary>
    /// Detail inside the hole as a share of the ring's at the painter's default <c>texture</c> 1 (the gain is solved
    /// for it; with the detail concentrated where the surroundings are busy, the texture measure reads about 0.8; 1.05 is the
    /// smallest that kept every hole kind of the tuning pictures at 0.75 or more).
    /// </summary>
    public const double Strength = 1.05;

    /// <summary>Median patch mismatch, grey levels, under which the exemplar fill is returned as it is.</summary>
    public const double ExactMismatch = 1;

    /// <summary>Share of flat pixels around the hole from which the picture counts as flat-colour artwork.</summary>
    public const double FlatShare = 0.5;

    // How far around the hole the flat pixels are counted, pixels (chessboard).
    private const int Surroundings = 12;

    public static byte[] Fill(int width, int height, byte[] rgba, byte[] hole, ExemplarFillOptions options,
                              Action<int, int>? progress, CancellationToken cancellationToken, double strength = Strength, double exact = ExactMismatch)
    {
        int rounds = 0;
        var (copies, mismatch) = ExemplarFill.FillAndMeasure(width, height, rgba, hole, options,
            (done, total) => progress?.Invoke(done, (rounds = total) + 1), cancellationToken);
        if (mismatch <= exact || !hole.AsSpan().ContainsAnyExcept((byte)0) || FlatAround(width, height, rgba, hole, cancellationToken) >= FlatShare)
            return copies;
        float[][] structure = Structure(width, height, rgba, hole, cancellationToken);
        byte[] result = DetailTransfer.Apply(width, height, rgba, hole, structure, copies, strength, cancellationToken);
        progress?.Invoke(rounds + 1, rounds + 1);
        return result;
    }

    /// <summary>The smooth structure of the hole: the membrane, then edges continued along their direction.</summary>
    internal static float[][] Structure(int width, int height, byte[] rgba, byte[] hole, CancellationToken cancellationToken)
    {
        float[][] structure = HarmonicFill.Fill(width, height, rgba, hole, cancellationToken, biharmonicSweeps: 0);
        IsophoteFill.Relax(width, height, rgba, hole, structure, cancellationToken);
        return structure;
    }

    // Share of the known pixels near the hole whose four neighbours (those on the picture) have exactly their colour.
    private static double FlatAround(int width, int height, byte[] rgba, byte[] hole, CancellationToken cancellationToken)
    {
        var known = new byte[hole.Length];
        for (int p = 0; p < hole.Length; p++)
            known[p] = hole[p] == 0 ? (byte)1 : (byte)0;
        int[] distance = ChessboardDistance.Compute(width, height, known, cancellationToken);
        var pixels = MemoryMarshal.Cast<byte, int>(rgba);
        int flat = 0, count = 0;
        for (int p = 0; p < hole.Length; p++)
        {
            if (distance[p] == 0 || distance[p] > Surroundings)
                continue;
            int x = p % width, y = p / width;
            count++;
            if ((x == 0 || pixels[p - 1] == pixels[p]) && (x == width - 1 || pixels[p + 1] == pixels[p])
                && (y == 0 || pixels[p - width] == pixels[p]) && (y == height - 1 || pixels[p + width] == pixels[p]))
                flat++;
        }
        return count == 0 ? 0 : (double)flat / count;
    }
}
