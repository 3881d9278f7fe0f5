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
    /// Detail inside the hole as a share of the ring's at the painter's default <c>texture</c> 1, as the texture measure
    /// reads it on the finished pixels (<see cref="TextureGain"/>). Tuning pictures, exact hole, PSNR / SSIM / texture:
    /// 0.8 19.73 / 0.546 / 0.77, 0.85 19.65 / 0.545 / 0.81, 0.9 19.57 / 0.543 / 0.84 (the mean is under the strength where
    /// the copies are returned whole or the gain reaches its cap).
    /// </summary>
    public const double Strength = 0.85;

    /// <summary>Median patch mismatch, grey levels, under which the exemplar fill is returned as it is.</summary>
    public const double ExactMismatch = 1;

    /// <summary>Share of flat pixels around the hole from which the picture counts as flat-colour artwork.</summary>
    public const double FlatShare = 0.5;

    // How far around the hole the flat pixels are counted, pixels (chessboard).
    private const int Surroundings = 12;

    public static byte[] Fill(int width, int height, byte[] rgba, byte[] hole, ExemplarFillOptions options,
                              Action<int, int>? progress, CancellationToken cancellationToken, double strength = Strength, double exact = ExactMismatch)
    {
        if (!hole.AsSpan().ContainsAnyExcept((byte)0) || FlatAround(width, height, rgba, hole, cancellationToken) >= FlatShare)
            return ExemplarFill.Fill(width, height, rgba, hole, options, progress, cancellationToken);
        // The structure needs only the known pixels: it is solved on the other core while the copies are searched
        // (both are deterministic, so the result does not depend on which finishes first), and dropped if the copies
        // turn out to match their surroundings.
        var box = new HoleBox(width, height, hole, Context);
        byte[] partRgba = box.Crop(rgba, 4), partHole = box.Crop(hole, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var structure = Task.Run(() => Structure(box.Width, box.Height, partRgba, partHole, stop.Token), stop.Token);
        try
        {
            int rounds = 0;
            var (copies, mismatch) = ExemplarFill.FillAndMeasure(width, height, rgba, hole, options,
                (done, total) => progress?.Invoke(done, (rounds = total) + 1), cancellationToken);
            if (mismatch <= exact)
                return copies;
            byte[] part = DetailTransfer.Apply(box.Width, box.Height, partRgba, partHole, structure.GetAwaiter().GetResult(), box.Crop(copies, 4), strength, cancellationToken);
            var result = (byte[])rgba.Clone();
            box.Paste(part, result, 4);
            progress?.Invoke(rounds + 1, rounds + 1);
            return result;
        }
        finally
        {
            // never leave the structure running after the fill returns or fails
            stop.Cancel();
            try
            {
                structure.Wait(CancellationToken.None);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OperationCanceledException))
            {
            }
        }
    }

    // Context around the hole that structure and detail look at, pixels: the widest filter reaching into the hole
    // (the σ 4 Gaussians of the edge directions and the detail energy, 16 px, from pixels up to 2 px out, on a σ 1.5
    // high-pass, 6 px) and the texture ring (12 px out, on the high-pass). Structure and detail are solved on the hole's
    // bounding box and this context only: on a large picture with a hole in one part the rest is never looked at
    // (tuning pictures: 19.76 dB / 0.548 SSIM on the box, 19.76 / 0.549 on the whole picture).
    private const int Context = 32;

    /// <summary>The smooth structure of the hole: the membrane, then edges continued along their direction.</summary>
    internal static float[][] Structure(int width, int height, byte[] rgba, byte[] hole, CancellationToken cancellationToken)
    {
        // the membrane and the edge directions need only the known pixels: both at once
        float[][]? structure = null;
        IsophoteFill.Field? directions = null;
        Parallelism.Both(() => structure = HarmonicFill.Fill(width, height, rgba, hole, cancellationToken, biharmonicSweeps: 0),
                         () => directions = IsophoteFill.Directions(width, height, rgba, hole, cancellationToken), cancellationToken);
        IsophoteFill.Relax(width, height, hole, structure!, directions, cancellationToken);
        return structure!;
    }

    // Share of the known pixels near the hole whose four neighbours (those on the picture) have exactly their colour.
    // Only the hole's box grown by that distance is looked at: every pixel within it of the hole is in the box, and a
    // chessboard distance inside a rectangle is the same as on the whole picture.
    private static double FlatAround(int width, int height, byte[] rgba, byte[] hole, CancellationToken cancellationToken)
    {
        var box = new HoleBox(width, height, hole, Surroundings);
        byte[] part = box.Crop(hole, 1);
        var known = new byte[part.Length];
        for (int q = 0; q < part.Length; q++)
            known[q] = part[q] == 0 ? (byte)1 : (byte)0;
        int[] distance = ChessboardDistance.Compute(box.Width, box.Height, known, cancellationToken);
        var pixels = MemoryMarshal.Cast<byte, int>(rgba);
        int flat = 0, count = 0;
        for (int q = 0; q < part.Length; q++)
        {
            if (distance[q] == 0 || distance[q] > Surroundings)
                continue;
            int p = box.Index(q % box.Width, q / box.Width);
            int x = p % width, y = p / width;
            count++;
            if ((x == 0 || pixels[p - 1] == pixels[p]) && (x == width - 1 || pixels[p + 1] == pixels[p])
                && (y == 0 || pixels[p - width] == pixels[p]) && (y == height - 1 || pixels[p + width] == pixels[p]))
                flat++;
        }
        return count == 0 ? 0 : (double)flat / count;
    }
}
