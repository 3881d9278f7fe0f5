using System.Runtime.InteropServices;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// Parsed request bytes (and blobs) already sit in arrays of their own, and the daemon never
/// writes to a layer's pixels: share the array rather than copy (a 512 MiB layer would otherwise
/// be held twice).
/// </summary>
public static class SharedBytes
{
    public static byte[] ArrayOf(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
