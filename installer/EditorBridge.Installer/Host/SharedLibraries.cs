namespace EditorBridge.Installer.Host;

/// <summary>
/// Whether a shared library the product loads at run time is on this machine: the folders the
/// dynamic loader searches on Linux (<c>LD_LIBRARY_PATH</c>, the multiarch and plain lib folders)
/// and, when none has it, the loader's cache as <c>ldconfig -p</c> lists it.
/// </summary>
public static class SharedLibraries
{
    /// <summary>OpenCV's native library (the classic engine) links GTK 3.</summary>
    public const string Gtk3 = "libgtk-3.so.0";

    /// <summary>The line the installer and <c>doctor</c> show when GTK 3 is missing.</summary>
    public const string Gtk3Missing =
        "GTK 3 is not installed (libgtk-3.so.0), and the classic engine's OpenCV needs it: fill, restore, colorize and the other " +
        "classic operations will not load. Install it: sudo apt-get install libgtk-3-0 (Debian 13, Ubuntu 24.04 and later: libgtk-3-0t64; " +
        "Fedora: sudo dnf install gtk3)";

    private static readonly string[] Folders =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
    ];

    public static bool Present(string name, ICommandRunner? commands = null)
    {
        var searched = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(Folders);
        if (searched.Any(folder => File.Exists(Path.Combine(folder, name))))
            return true;
        if (commands is null)
            return false;
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            var (ok, output) = commands.Run(ldconfig, "-p");
            if (ok)
                return output.Contains(name, StringComparison.Ordinal);
        }

        return false;
    }
}
