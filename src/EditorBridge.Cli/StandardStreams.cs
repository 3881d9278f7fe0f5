using System.Runtime.InteropServices;

namespace EditorBridge.Cli;

/// <summary>
/// For a daemon in the background (<c>serve --background</c>): on Unix, file descriptors 1 and 2
/// become its log file, so what native libraries print lands in the log and the daemon holds none
/// of the streams it was started with (a client's pipe, a terminal).
/// </summary>
internal static class StandardStreams
{
    public static void PointAt(FileStream log)
    {
        if (OperatingSystem.IsWindows())
            return;
        int fd = (int)log.SafeFileHandle.DangerousGetHandle();
        foreach (int standard in new[] { 1, 2 })
            if (dup2(fd, standard) < 0)
                throw new IOException($"could not send the standard streams to {log.Name} (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldFd, int newFd);
}
