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
        int sum = 0;
        for (int row = 0; row < size; row++)
        {
            ref byte pa = ref Unsafe.Add(ref origin, a + row * rowBytes);
            ref byte pb = ref Unsafe.Add(ref origin, b + row * rowBytes);
            sum += Avx2.IsSupported ? RowAvx2(ref pa, ref pb, rowLength) : RowScalar(ref pa, ref pb, 0, rowLength);
            if (sum >= cutoff)
                return sum;
        }
        return sum;
    }

    private static int RowAvx2(ref byte pa, ref byte pb, int length)
    {
        Vector256<int> acc = Vector256<int>.Zero;
        int i = 0;
        for (; i + 16 <= length; i += 16)
        {
            Vector256<short> va = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pa, (nuint)i));
            Vector256<short> vb = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pb, (nuint)i));
            Vector256<short> d = Avx2.Subtract(va, vb);
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(d, d));
        }
        return Vector256.Sum(acc) + RowScalar(ref pa, ref pb, i, length);
    }

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
