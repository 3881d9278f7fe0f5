using System.Text;
using EditorBridge.Daemon.Core;
using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// The gRPC listener's second, local-only door: a Unix-domain socket <c>grpc.sock</c> in the
/// state folder, beside the TCP port (which stays for every other client). Same HTTP/2, same
/// token check. Only opened where nobody else can reach it: the folder must be the owner's alone
/// (0700), and the socket is made 0600 once it exists. Skipped (TCP only, a line in the log) on
/// Windows, when the folder is shared, or when the path is too long for a socket address.
/// </summary>
public static class GrpcUnixSocket
{
    private const UnixFileMode OthersAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // sockaddr_un.sun_path: 108 bytes on Linux, 104 on macOS, with the terminating NUL
    private static int MaxPathBytes => OperatingSystem.IsMacOS() ? 103 : 107;

    /// <summary>The socket path to listen on (a leftover file there removed), or null with <paramref name="why"/> when there is none.</summary>
    public static string? Prepare(DaemonOptions options, StatePaths paths, out string? why)
    {
        why = null;
        if (!options.GrpcUnixSocket)
            return null;
        if (OperatingSystem.IsWindows())
        {
            why = "not on Windows";
            return null;
        }

        var path = paths.GrpcSocket;
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            why = $"its path is longer than a socket address allows ({MaxPathBytes} bytes): {path}";
        else if ((File.GetUnixFileMode(paths.StateDirectory) & OthersAny) != 0)
            why = $"the state folder {paths.StateDirectory} is open to other users (make it 0700)";
        else
            why = RemoveLeftover(path);
        return why is null ? path : null;
    }

    /// <summary>Owner read and write only (connecting needs write); called once the listener has made the file.</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Removes the socket file if it is still there (the daemon stops).</summary>
    public static void Remove(string? path)
    {
        if (path is null)
            return;
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the next daemon removes it before it listens
        }
    }

    // The caller holds the instance lock: a file there is a dead daemon's. File.Delete removes a
    // symbolic link itself, never what it points to.
    private static string? RemoveLeftover(string path)
    {
        try
        {
            if (Directory.Exists(path))
                return $"{path} is a folder";
            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the leftover {path} could not be removed: {e.Message}";
        }
    }
}
