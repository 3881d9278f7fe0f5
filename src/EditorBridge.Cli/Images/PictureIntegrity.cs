using System.Buffers.Binary;
using System.IO.Hashing;

namespace EditorBridge.Cli.Images;

/// <summary>
/// Refuses a picture file that is cut short or corrupt before it is decoded: the decoder would
/// otherwise fill what is missing with transparent pixels and a job would run on them. PNG: every
/// chunk whole with its CRC, image data present, IEND reached. JPEG: every segment whole and the
/// end-of-image marker reached after the image data. GIF: every block whole up to the trailer.
/// WebP and BMP: the file holds as many bytes as its header says. Other formats: what the decoder
/// itself notices.
/// </summary>
public static class PictureIntegrity
{
    /// <summary>Throws <see cref="DamagedPictureException"/> naming what is wrong; returns when the file is whole.</summary>
    public static void Check(string path)
    {
        using var file = new FileBytes(path);
        Span<byte> head = stackalloc byte[30];
        head = head[..(int)Math.Min(head.Length, file.Length)];
        if (!file.TryRead(head))
            throw new DamagedPictureException(path, CutShort(file));
        string? why = head switch
        {
            [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png(file),
            [0xFF, 0xD8, ..] => Jpeg(file),
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', _, (byte)'a', ..] => Gif(file),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] =>
                Declared(file, 8 + (long)BinaryPrimitives.ReadUInt32LittleEndian(head[4..])),
            [(byte)'B', (byte)'M', ..] => head.Length < 30 ? CutShort(file) : Bmp(file, head),
            _ => null,
        };
        if (why is not null)
            throw new DamagedPictureException(path, why);
    }

    private static string CutShort(FileBytes file) => $"the file ends before the picture does, after {file.Length} bytes (is it cut short?)";

    // After the 8-byte signature: length, type, data, CRC per chunk, up to IEND.
    private static string? Png(FileBytes file)
    {
        file.Rewind(8);
        Span<byte> header = stackalloc byte[8];
        Span<byte> stored = stackalloc byte[4];
        var crc = new Crc32();
        bool first = true, sawData = false;
        while (true)
        {
            long at = file.Position;
            if (!file.TryRead(header))
                return CutShort(file);
            long length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            foreach (var c in type)
                if (!char.IsAsciiLetter((char)c))
                    return $"no PNG chunk where one should start (byte {at}): the file is corrupt";
            string name = System.Text.Encoding.ASCII.GetString(type);
            if (first && name != "IHDR")
                return $"the first chunk is {name}, not IHDR: the file is corrupt";
            if (length > int.MaxValue)
                return $"chunk {name} at byte {at} declares {length} bytes: the file is corrupt";
            crc.Reset();
            crc.Append(type);
            if (!file.TryVisit(length, bytes => crc.Append(bytes.Span)) || !file.TryRead(stored))
                return CutShort(file);
            if (BinaryPrimitives.ReadUInt32BigEndian(stored) != crc.GetCurrentHashAsUInt32())
                return $"chunk {name} at byte {at} fails its checksum: the file is corrupt";
            sawData |= name == "IDAT";
            first = false;
            if (name == "IEND")
                return sawData ? null : "it holds no image data (no IDAT chunk)";
        }
    }

    // After SOI: segments (marker + length), entropy-coded data after each SOS, up to EOI.
    private static string? Jpeg(FileBytes file)
    {
        file.Rewind(2);
        bool sawScan = false;
        int marker = NextMarker(file);
        while (true)
        {
            switch (marker)
            {
                case -1:
                    return CutShort(file);
                case -2:
                    return $"no JPEG marker where one should start (byte {file.Position - 1}): the file is corrupt";
                case 0xD9:
                    return sawScan ? null : "it ends before any image data (no scan)";
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    marker = NextMarker(file);
                    continue;
            }

            if (!file.TryReadUInt16BigEndian(out int length))
                return CutShort(file);
            if (length < 2)
                return $"a segment at byte {file.Position - 4} declares {length} bytes: the file is corrupt";
            if (!file.TryVisit(length - 2, _ => { }))
                return CutShort(file);
            if (marker != 0xDA)
            {
                marker = NextMarker(file);
                continue;
            }

            sawScan = true;
            marker = AfterEntropyData(file);
        }
    }

    // 0xFF, any fill 0xFFs, then the marker code; -1 at the end of the file, -2 when no 0xFF is there.
    private static int NextMarker(FileBytes file)
    {
        int b = file.ReadByte();
        if (b != 0xFF)
            return b < 0 ? -1 : -2;
        do
            b = file.ReadByte();
        while (b == 0xFF);
        return b;
    }

    // Entropy-coded data ends at the first 0xFF followed by neither a stuffed 0x00 nor a restart marker.
    private static int AfterEntropyData(FileBytes file)
    {
        while (true)
        {
            if (!file.SkipPast(0xFF))
                return -1;
            int b;
            do
                b = file.ReadByte();
            while (b == 0xFF);
            if (b is not (0x00 or (>= 0xD0 and <= 0xD7)))
                return b;
        }
    }

    // Header, logical screen, colour table, then extension and image blocks of sub-blocks up to the trailer.
    private static string? Gif(FileBytes file)
    {
        file.Rewind(10);
        int packed = file.ReadByte();
        if (packed < 0 || !file.TryVisit(2 + ColourTable(packed), _ => { }))
            return CutShort(file);
        while (true)
        {
            switch (file.ReadByte())
            {
                case -1:
                    return CutShort(file);
                case 0x3B:
                    return null;
                case 0x21:
                    if (file.ReadByte() < 0 || !SubBlocks(file))
                        return CutShort(file);
                    break;
                case 0x2C:
                    if (!file.TryVisit(8, _ => { }) || (packed = file.ReadByte()) < 0 || !file.TryVisit(ColourTable(packed) + 1, _ => { }) || !SubBlocks(file))
                        return CutShort(file);
                    break;
                default:
                    return $"an unknown block at byte {file.Position - 1}: the file is corrupt";
            }
        }
    }

    private static int ColourTable(int packed) => (packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0;

    private static bool SubBlocks(FileBytes file)
    {
        while (true)
        {
            int size = file.ReadByte();
            if (size < 0)
                return false;
            if (size == 0)
                return true;
            if (!file.TryVisit(size, _ => { }))
                return false;
        }
    }

    private static string? Declared(FileBytes file, long declared) => file.Length < declared ? CutShort(file) : null;

    // An uncompressed BMP holds its rows after the pixel-data offset: stride × |height| bytes.
    private static string? Bmp(FileBytes file, ReadOnlySpan<byte> head)
    {
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(head[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(head[14..]);
        if (infoSize < 40)
            return Declared(file, offset);
        long width = BinaryPrimitives.ReadInt32LittleEndian(head[18..]);
        long height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[22..]));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(head[28..]);
        Span<byte> compression = stackalloc byte[4];
        file.Rewind(30);
        if (!file.TryRead(compression))
            return CutShort(file);
        if (BinaryPrimitives.ReadUInt32LittleEndian(compression) != 0)
            return Declared(file, offset);
        long stride = (width * bits + 31) / 32 * 4;
        return Declared(file, offset + stride * height);
    }
}
