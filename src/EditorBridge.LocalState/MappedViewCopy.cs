using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace EditorBridge.LocalState;

/// <summary>
/// Copies between a shared-memory pixel region's mapped view and an array in one memmove, on both
/// sides of the region (daemon and .NET client). The accessor's own ReadArray/WriteArray are generic
/// element loops: measured several times slower for a 64 MiB layer (docs/benchmarks.md, pixel paths).
/// Callers check offsets and lengths against the region first. <see cref="Write{TState}"/> lets a
/// conversion write its output straight into the mapping (no array in between, no second memmove).
/// </summary>
public static class MappedViewCopy
{
    public static void Copy(MemoryMappedViewAccessor view, long offset, byte[] array, int start, int count, bool toMapping)
    {
        var handle = view.SafeMemoryMappedViewHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var at = handle.DangerousGetHandle() + (nint)(view.PointerOffset + offset);
            if (toMapping)
                Marshal.Copy(array, start, at, count);
            else
                Marshal.Copy(at, array, start, count);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> over the view's <paramref name="count"/> bytes from
    /// <paramref name="offset"/> as a span, the view held meanwhile. The span is valid only during the
    /// call: <paramref name="write"/> must not keep it (or anything over it).
    /// </summary>
    public static unsafe void Write<TState>(MemoryMappedViewAccessor view, long offset, int count, TState state, SpanAction<byte, TState> write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (offset + count > view.Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), $"bytes {offset}..{offset + count} lie outside the view's {view.Capacity}");
        var handle = view.SafeMemoryMappedViewHandle;
        byte* start = null;
        handle.AcquirePointer(ref start);
        try
        {
            write(new Span<byte>(start + view.PointerOffset + offset, count), state);
        }
        finally
        {
            handle.ReleasePointer();
        }
    }
}
