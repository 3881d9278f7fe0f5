namespace EditorBridge.ModelStore.Pull;

/// <summary>Free space where the download goes, and the check made before any byte is fetched.</summary>
public static class DiskSpace
{
    /// <summary>Bytes available to this user on the file system holding <paramref name="directory"/>.</summary>
    public static long FreeBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;

    public static void EnsureRoom(string model, string directory, long stillToFetch, long margin, Func<string, long> freeSpace)
    {
        long free = freeSpace(directory);
        long needed = stillToFetch + margin;
        if (free < needed)
            throw new PullException(
                PullFailure.NotEnoughSpace,
                $"not enough disk space to pull '{model}': {Bytes(needed)} needed ({Bytes(stillToFetch)} still to download + {Bytes(margin)} margin), {Bytes(free)} free in {directory}");
    }

    /// <summary>"1.5 GB", "340.2 MB", "12 KB", "512 B": decimal units, as download sizes are usually shown.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => $"{bytes / 1e9:0.0} GB",
        >= 1_000_000 => $"{bytes / 1e6:0.0} MB",
        >= 1_000 => $"{bytes / 1e3:0} KB",
        _ => $"{bytes} B",
    };
}
