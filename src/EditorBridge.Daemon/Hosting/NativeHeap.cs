using System.Runtime.InteropServices;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// The C library's heap of the daemon process (OpenCV's and ONNX Runtime's buffers live there, not in
/// the managed heap). glibc gives every thread that allocates its own arena, up to 8 per core, and
/// memory freed in one arena is rarely returned while any block in it is live: after a load run the
/// idle daemon kept about 1.6× its start-up memory, nearly all of it in those arenas. A daemon that
/// mostly idles beside an editor limits them and trims them when idle (docs/benchmarks.md).
/// Everything here is a no-op where the C library is not glibc.
/// </summary>
public static class NativeHeap
{
    /// <summary>glibc's <c>M_ARENA_MAX</c> parameter of <c>mallopt</c>.</summary>
    private const int ArenaMaxParameter = -8;

    /// <summary>Arenas the daemon allows: two serve two cores' worth of engine threads without lock contention that shows in a job's time.</summary>
    public const int ArenaLimit = 2;

    /// <summary>
    /// Limits the number of heap arenas (as <c>MALLOC_ARENA_MAX</c> would), unless the user set that
    /// variable themselves. Call first thing in a process that hosts the daemon, before engines start
    /// threads. True when the limit was applied.
    /// </summary>
    public static bool LimitArenas()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
            return false;
        try
        {
            return Mallopt(ArenaMaxParameter, ArenaLimit) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc
        }
    }

    /// <summary>Asks the C library to return free heap memory to the system (every arena).</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // not glibc (musl): nothing to ask
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
