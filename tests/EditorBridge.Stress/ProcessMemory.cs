using System.Globalization;

namespace EditorBridge.Stress;

/// <summary>What Linux's /proc says about a process: resident memory and listening sockets.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS in bytes; 0 where /proc is missing or the process is gone.</summary>
    public static long Resident(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>VmHWM (the peak of VmRSS since the process started) in bytes.</summary>
    public static long PeakResident(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    private static long StatusKilobytes(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>
    /// Every TCP socket the process listens on, as "address:port" (IPv4 or IPv6 in /proc's hex
    /// turned readable). Found through the socket inodes of /proc/PID/fd, so sockets on ports
    /// nobody told us about count too.
    /// </summary>
    public static IReadOnlyList<ListeningSocket> ListeningSockets(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // the descriptor closed meanwhile
            }
        }

        var sockets = new List<ListeningSocket>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
                continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var f = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != "0A" || !inodes.Contains(f[9]))
                    continue;
                var local = f[1].Split(':');
                sockets.Add(new ListeningSocket(Address(local[0]), Convert.ToInt32(local[1], 16)));
            }
        }

        return sockets;
    }

    // /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order.
    private static System.Net.IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (int word = 0; word < bytes.Length; word += 4)
            Array.Reverse(bytes, word, 4);
        return new System.Net.IPAddress(bytes);
    }
}

/// <summary>A listening TCP socket.</summary>
public sealed record ListeningSocket(System.Net.IPAddress Address, int Port)
{
    public bool IsLoopback => System.Net.IPAddress.IsLoopback(Address);

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
