namespace EditorBridge.Cli.Images;

/// <summary>A forward-only, buffered reader over a picture file for the integrity checks: bytes, big-endian words, skips and scans.</summary>
internal sealed class FileBytes : IDisposable
{
    private readonly Stream stream;
    private readonly byte[] buffer = new byte[1 << 16];
    private int start, end;

    public FileBytes(string path) => stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    public long Length => stream.Length;

    /// <summary>Bytes read (or skipped) so far.</summary>
    public long Position { get; private set; }

    /// <summary>Goes to <paramref name="position"/> from the start of the file.</summary>
    public void Rewind(long position)
    {
        stream.Position = position;
        Position = position;
        start = end = 0;
    }

    /// <summary>The next byte, or -1 at the end of the file.</summary>
    public int ReadByte()
    {
        if (start == end && !Fill())
            return -1;
        Position++;
        return buffer[start++];
    }

    /// <summary>Fills <paramref name="target"/>; false when the file ends first.</summary>
    public bool TryRead(Span<byte> target)
    {
        while (target.Length > 0)
        {
            if (start == end && !Fill())
                return false;
            int n = Math.Min(end - start, target.Length);
            buffer.AsSpan(start, n).CopyTo(target);
            start += n;
            Position += n;
            target = target[n..];
        }

        return true;
    }

    /// <summary>Passes <paramref name="count"/> bytes to <paramref name="visit"/> in pieces; false when the file ends first.</summary>
    public bool TryVisit(long count, Action<ReadOnlyMemory<byte>> visit)
    {
        while (count > 0)
        {
            if (start == end && !Fill())
                return false;
            int n = (int)Math.Min(end - start, count);
            visit(buffer.AsMemory(start, n));
            start += n;
            Position += n;
            count -= n;
        }

        return true;
    }

    /// <summary>Skips to just after the next <paramref name="value"/> byte; false when the file ends first.</summary>
    public bool SkipPast(byte value)
    {
        while (true)
        {
            if (start == end && !Fill())
                return false;
            int at = buffer.AsSpan(start, end - start).IndexOf(value);
            if (at >= 0)
            {
                start += at + 1;
                Position += at + 1;
                return true;
            }

            Position += end - start;
            start = end;
        }
    }

    public bool TryReadUInt16BigEndian(out int value)
    {
        Span<byte> two = stackalloc byte[2];
        value = TryRead(two) ? two[0] << 8 | two[1] : -1;
        return value >= 0;
    }

    private bool Fill()
    {
        start = 0;
        end = stream.Read(buffer, 0, buffer.Length);
        return end > 0;
    }

    public void Dispose() => stream.Dispose();
}
