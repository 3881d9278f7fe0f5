using System.IO.MemoryMappedFiles;
using EditorBridge.LocalState;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace EditorBridge.Client;

/// <summary>
/// The client's mapping of a pixel region the daemon made (<c>CreatePixelRegion</c>): the file the
/// daemon named, mapped read-write only after <see cref="RegionFiles.OpenForMapping"/> found it to
/// be a region file of this user in this user's regions folder, of exactly the size named (never
/// created, grown or reached through a link). Requests name the region by <see cref="Id"/> only.
/// </summary>
internal sealed class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;

    /// <summary>Throws <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) when the file is refused or cannot be mapped.</summary>
    public MappedRegion(string id, string regionsDirectory, string path, long size)
    {
        Id = id;
        Size = size;
        var stream = RegionFiles.OpenForMapping(regionsDirectory, path, size);
        try
        {
            file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        try
        {
            view = file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string Id { get; }

    public long Size { get; }

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="offset"/> (a memmove into the mapping).</summary>
    public void Write(long offset, ByteString bytes)
    {
        if (offset < 0 || offset > Size || bytes.Length > Size - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}..{offset + bytes.Length} of a {Size}-byte region");
        var segment = MemoryMarshal.TryGetArray(bytes.Memory, out var shared) ? shared : new ArraySegment<byte>(bytes.ToByteArray());
        Copy(offset, segment.Array!, segment.Offset, segment.Count, toMapping: true);
    }

    /// <summary>A copy of <paramref name="length"/> bytes from <paramref name="offset"/>, checked against the mapping.</summary>
    public byte[] Read(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Size || length > Size - offset)
            throw new InvalidDataException($"the daemon named bytes {offset}..{offset + length} of a {Size}-byte region");
        var data = GC.AllocateUninitializedArray<byte>(checked((int)length));
        Copy(offset, data, 0, data.Length, toMapping: false);
        return data;
    }

    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="offset"/> into <paramref name="into"/>, checked against the mapping.</summary>
    public void Read(long offset, int length, Memory<byte> into)
    {
        if (offset < 0 || length < 0 || offset > Size || length > Size - offset || length > into.Length)
            throw new InvalidDataException($"the daemon named bytes {offset}..{offset + length} of a {Size}-byte region (into {into.Length} bytes)");
        if (MemoryMarshal.TryGetArray<byte>(into, out var segment))
            Copy(offset, segment.Array!, segment.Offset, length, toMapping: false);
        else
            Read(offset, length).CopyTo(into);
    }

    private void Copy(long offset, byte[] array, int start, int count, bool toMapping) =>
        MappedViewCopy.Copy(view, offset, array, start, count, toMapping);

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }
}
