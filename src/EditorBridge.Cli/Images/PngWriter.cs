using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using EditorBridge.Imaging;

namespace EditorBridge.Cli.Images;

/// <summary>
/// Writes a raster as a PNG, RGBA at 8 or 16 bits per channel, lossless: each row gets the filter
/// (none, sub, up, average, Paeth) whose output has the smallest sum of magnitudes (libpng's
/// heuristic), and the rows are compressed with the platform's zlib (System.IO.Compression).
/// ImageSharp's own managed deflater took about 1 s of CPU for a 1024² picture; this takes a tenth
/// of that (docs/benchmarks.md, the CLI's own cost).
/// </summary>
public static class PngWriter
{
    private const int ChunkLimit = 1 << 20; // IDAT chunks of at most 1 MiB
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(Stream output, Raster raster, CompressionLevel level = CompressionLevel.Optimal)
    {
        bool wide = raster.Format == PixelFormat.Rgba16;
        int bpp = wide ? 8 : 4;
        int width = raster.Bounds.Width, height = raster.Bounds.Height;
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = (byte)(wide ? 16 : 8); // bit depth
        header[9] = 6;                     // colour type: RGB with alpha
        // compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none)
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            int rowBytes = width * bpp;
            var previous = new byte[rowBytes];
            var current = new byte[rowBytes];
            var filtered = new byte[5][];
            for (int f = 0; f < 5; f++)
                filtered[f] = new byte[rowBytes + 1];
            for (int y = 0; y < height; y++)
            {
                var row = raster.Data.AsSpan(y * rowBytes, rowBytes);
                if (wide)
                    BigEndianChannels(row, current);
                else
                    row.CopyTo(current);
                zlib.Write(BestFilter(current, previous, bpp, filtered));
                (previous, current) = (current, previous);
            }
        }

        var data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (int at = 0; at < data.Length; at += ChunkLimit)
            WriteChunk(output, "IDAT"u8, data.Slice(at, Math.Min(ChunkLimit, data.Length - at)));
        WriteChunk(output, "IEND"u8, []);
    }

    // PNG stores 16-bit samples big-endian; rasters hold them little-endian.
    private static void BigEndianChannels(ReadOnlySpan<byte> row, Span<byte> target)
    {
        for (int i = 0; i < row.Length; i += 2)
        {
            target[i] = row[i + 1];
            target[i + 1] = row[i];
        }
    }

    /// <summary>The row filtered five ways; the one with the smallest sum of |signed byte| wins (its filter type byte first).</summary>
    private static ReadOnlySpan<byte> BestFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, byte[][] filtered)
    {
        int best = 0;
        long bestSum = long.MaxValue;
        for (int type = 0; type < 5; type++)
        {
            var target = filtered[type].AsSpan();
            target[0] = (byte)type;
            long sum = Filter(type, row, up, bpp, target[1..]);
            if (sum < bestSum)
                (best, bestSum) = (type, sum);
        }

        return filtered[best];
    }

    // One loop per filter type (a switch per byte cost as much as the compression).
    private static long Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, Span<byte> target)
    {
        int n = row.Length;
        switch (type)
        {
            case 0:
                row.CopyTo(target);
                break;
            case 1:
                for (int i = 0; i < n; i++)
                    target[i] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                break;
            case 2:
                for (int i = 0; i < n; i++)
                    target[i] = (byte)(row[i] - up[i]);
                break;
            case 3:
                for (int i = 0; i < n; i++)
                    target[i] = (byte)(row[i] - (((i >= bpp ? row[i - bpp] : 0) + up[i]) >> 1));
                break;
            default:
                for (int i = 0; i < bpp; i++)
                    target[i] = (byte)(row[i] - up[i]); // Paeth with nothing to the left predicts from above
                for (int i = bpp; i < n; i++)
                    target[i] = (byte)(row[i] - Paeth(row[i - bpp], up[i], up[i - bpp]));
                break;
        }

        long sum = 0;
        foreach (var value in target[..n])
        {
            int signed = (sbyte)value;
            sum += signed < 0 ? -signed : signed; // -128 too, which Math.Abs of an sbyte refuses
        }

        return sum;
    }

    private static int Paeth(int left, int above, int corner)
    {
        int p = left + above - corner;
        int pa = Math.Abs(p - left), pb = Math.Abs(p - above), pc = Math.Abs(p - corner);
        return pa <= pb && pa <= pc ? left : pb <= pc ? above : corner;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
