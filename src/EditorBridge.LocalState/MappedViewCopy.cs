using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace EditorBridge.LocalState;

/// <summary>
/// Copies between a shared-memory pixel region's mapped view and an array in one memmove, on both
/// sides of the region (daemon and .NET client). The accessor's own ReadArray/WriteArray are generic
/// element loops: measured several times slower for a 64 MiB layer (docs/benchmarks.md, pixel paths).
/// Callers check offsets and lengths against the region first.
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
}
