using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EditorBridge.Cli.Images;

/// <summary>
/// PNG's five row filters (none, sub, up, average, Paeth; PNG spec 9) and the choice between them:
/// the one whose output has the smallest sum of |signed byte| (libpng's heuristic). Sixteen bytes
/// at a time where the platform has vectors; the first pixel of a row (nothing to its left) and a
/// tail shorter than a vector go byte by byte. The loops are compiled optimized at once
/// (AggressiveOptimization): a one-shot CLI never reaches tiered compilation's optimized code, and
/// unoptimized vector code is slower than the scalar loop.
/// </summary>
internal static class PngFilters
{
    public const int Count = 5;

    /// <summary>
    /// Filters <paramref name="row"/> (the row above: <paramref name="up"/>, zeros for the first)
    /// all five ways into <paramref name="filtered"/> (each: the type byte, then the row) and returns the best.
    /// </summary>
    public static byte[] Best(ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, byte[][] filtered)
    {
        int best = 0;
        long bestSum = long.MaxValue;
        for (int type = 0; type < Count; type++)
        {
            var target = filtered[type];
            target[0] = (byte)type;
            Apply(type, row, up, bpp, target.AsSpan(1));
            long sum = SumOfMagnitudes(target.AsSpan(1));
            if (sum < bestSum)
                (best, bestSum) = (type, sum);
        }

        return filtered[best];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, Span<byte> target)
    {
        int n = row.Length;
        int start = Math.Min(bpp, n);
        // the first pixel: left and corner are 0, so sub = none, average = up / 2, Paeth = up
        for (int i = 0; i < start; i++)
            target[i] = (byte)(row[i] - type switch { 1 or 0 => 0, 3 => up[i] >> 1, _ => up[i] });
        int at = start;
        if (type == 0)
        {
            row[start..].CopyTo(target[start..]);
            return;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; at + 16 <= n; at += 16)
            {
                var x = Vector128.Create(row.Slice(at, 16));
                var predicted = Predict(type, Vector128.Create(row.Slice(at - bpp, 16)), Vector128.Create(up.Slice(at, 16)), Vector128.Create(up.Slice(at - bpp, 16)));
                (x - predicted).CopyTo(target.Slice(at, 16));
            }
        }

        for (; at < n; at++)
            target[at] = (byte)(row[at] - Predict(type, row[at - bpp], up[at], up[at - bpp]));
    }

    private static int Predict(int type, int left, int above, int corner) => type switch
    {
        1 => left,
        2 => above,
        3 => (left + above) >> 1,
        _ => Paeth(left, above, corner),
    };

    private static Vector128<byte> Predict(int type, Vector128<byte> left, Vector128<byte> above, Vector128<byte> corner) => type switch
    {
        1 => left,
        2 => above,
        // (a + b) >> 1 without overflow: (a & b) + ((a ^ b) >> 1)
        3 => (left & above) + Vector128.ShiftRightLogical(left ^ above, 1),
        _ => Paeth(left, above, corner),
    };

    private static int Paeth(int left, int above, int corner)
    {
        int p = left + above - corner;
        int pa = Math.Abs(p - left), pb = Math.Abs(p - above), pc = Math.Abs(p - corner);
        return pa <= pb && pa <= pc ? left : pb <= pc ? above : corner;
    }

    // The scalar rule in 16-bit lanes: pa = |b - c|, pb = |a - c|, pc = |a + b - 2c|.
    private static Vector128<byte> Paeth(Vector128<byte> left, Vector128<byte> above, Vector128<byte> corner)
    {
        var (aLow, aHigh) = Vector128.Widen(left);
        var (bLow, bHigh) = Vector128.Widen(above);
        var (cLow, cHigh) = Vector128.Widen(corner);
        var low = Paeth(aLow.AsInt16(), bLow.AsInt16(), cLow.AsInt16());
        var high = Paeth(aHigh.AsInt16(), bHigh.AsInt16(), cHigh.AsInt16());
        return Vector128.Narrow(low.AsUInt16(), high.AsUInt16());
    }

    private static Vector128<short> Paeth(Vector128<short> a, Vector128<short> b, Vector128<short> c)
    {
        var pa = Vector128.Abs(b - c);
        var pb = Vector128.Abs(a - c);
        var pc = Vector128.Abs(a + b - c - c);
        var useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        var useB = Vector128.LessThanOrEqual(pb, pc);
        return Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(useB, b, c));
    }

    /// <summary>Σ |byte as signed| (−128 counts 128).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long SumOfMagnitudes(ReadOnlySpan<byte> bytes)
    {
        long sum = 0;
        int at = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // 16-bit lanes gain at most 2 × 128 per step: flush before 256 steps
            while (at + 16 <= bytes.Length)
            {
                var lanes = Vector128<ushort>.Zero;
                for (int steps = 0; steps < 255 && at + 16 <= bytes.Length; steps++, at += 16)
                {
                    var magnitude = Vector128.Abs(Vector128.Create(bytes.Slice(at, 16)).AsSByte()).AsByte();
                    var (low, high) = Vector128.Widen(magnitude);
                    lanes += low + high;
                }

                sum += Vector128.Sum(Vector128.WidenLower(lanes) + Vector128.WidenUpper(lanes));
            }
        }

        for (; at < bytes.Length; at++)
        {
            int signed = (sbyte)bytes[at];
            sum += signed < 0 ? -signed : signed;
        }

        return sum;
    }
}
