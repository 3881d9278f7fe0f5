using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EditorBridge.Engines.Classic;

/// <summary>Sum of squared differences between two square patches of one working picture.</summary>
internal static class PatchDistance
{
    /// <summary>
    /// Compares the patches whose top-left bytes are <paramref name="a"/> and <paramref name="b"/>.
    /// Stops early once the sum reaches <paramref name="cutoff"/>, since the caller then rejects it anyway.
    /// </summary>
    public static int Ssd(byte[] pixels, int rowBytes, int a, int b, int size, int cutoff)
    {
        ref byte origin = ref MemoryMarshal.GetArrayDataReference(pixels);
        int rowLength = size * WorkingPixels.Channels;
        // the same for every row: which of the last 16 bytes are not yet counted
        Vector256<short> tail = TailMask(rowLength % 16);
        int sum = 0;
        for (int row = 0; row < size; row++)
        {
            ref byte pa = ref Unsafe.Add(ref origin, a + row * rowBytes);
            ref byte pb = ref Unsafe.Add(ref origin, b + row * rowBytes);
            sum += Avx2.IsSupported ? RowAvx2(ref pa, ref pb, rowLength, tail) : RowScalar(ref pa, ref pb, 0, rowLength);
            if (sum >= cutoff)
                return sum;
        }
        return sum;
    }

    // 16 bytes at a time; a remainder of a row at least 16 long is the last 16 bytes with the ones already counted
    // masked off (no scalar tail: a 7-px patch row of 6 channels is 42 bytes).
    private static int RowAvx2(ref byte pa, ref byte pb, int length, Vector256<short> tail)
    {
        Vector256<int> acc = Vector256<int>.Zero;
        int i = 0;
        for (; i + 16 <= length; i += 16)
            acc = Avx2.Add(acc, Squares(ref pa, ref pb, i));
        if (i == length)
            return Vector256.Sum(acc);
        if (length < 16)
            return Vector256.Sum(acc) + RowScalar(ref pa, ref pb, i, length);
        Vector256<short> d = Difference(ref pa, ref pb, length - 16) & tail;
        return Vector256.Sum(Avx2.Add(acc, Avx2.MultiplyAddAdjacent(d, d)));
    }

    private static Vector256<int> Squares(ref byte pa, ref byte pb, int offset)
    {
        Vector256<short> d = Difference(ref pa, ref pb, offset);
        return Avx2.MultiplyAddAdjacent(d, d);
    }

    private static Vector256<short> Difference(ref byte pa, ref byte pb, int offset) =>
        Avx2.Subtract(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pa, (nuint)offset)),
                      Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pb, (nuint)offset)));

    // Keeps the last `count` of 16 lanes.
    private static Vector256<short> TailMask(int count) =>
        Vector256.GreaterThanOrEqual(Lanes, Vector256.Create((short)(16 - count)));

    private static readonly Vector256<short> Lanes = Vector256.Create((short)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    private static int RowScalar(ref byte pa, ref byte pb, int start, int length)
    {
        int sum = 0;
        for (int i = start; i < length; i++)
        {
            int d = Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i);
            sum += d * d;
        }
        return sum;
    }
}
