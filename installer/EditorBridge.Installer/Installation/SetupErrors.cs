namespace EditorBridge.Installer.Installation;

/// <summary>Turns a file-system failure into a sentence that says what to do.</summary>
public static class SetupErrors
{
    private const int EnospcUnix = 28, ErofsUnix = 30, DiskFullWindows = 0x70, HandleDiskFullWindows = 0x27;

    public static bool IsDiskFull(Exception e) =>
        e is IOException io && ((io.HResult & 0xFFFF) is DiskFullWindows or HandleDiskFullWindows || io.HResult == EnospcUnix
                                || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));

    public static string Describe(Exception e, string? path = null)
    {
        var where = path ?? "a file";
        return e switch
        {
            UnauthorizedAccessException => $"permission denied writing {where}. EditorBridge installs into your own folders and needs no administrator rights: "
                                           + "check that you own the folder (and that it is not read-only), then run editorbridge-setup again",
            IOException when IsDiskFull(e) => $"the disk is full (writing {where}). Free some space and run editorbridge-setup again",
            IOException io when io.HResult == ErofsUnix => $"{where} is on a read-only file system",
            IOException io => $"{io.Message} (writing {where})",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
    }
}
