namespace EditorBridge.Daemon.Blobs;

/// <summary>
/// The owner-only folder (0700) under the state folder where the daemon makes its pixel regions.
/// At start it holds nothing of ours (a region never outlives its daemon), so whatever is there is
/// removed: leftovers of a daemon that died, or anything planted there. A symbolic link in place of
/// the folder, or inside it, is removed as a link: its target is never touched.
/// </summary>
public static class RegionFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Makes the folder empty and owner-only; returns how many entries it removed.</summary>
    public static int Prepare(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
            File.Delete(path); // a link or a file where the folder should be: the entry goes, not its target
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
            File.SetUnixFileMode(path, OwnerOnly);
        }

        int removed = 0;
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo dir && dir.LinkTarget is null)
                dir.Delete(recursive: true);
            else
                File.Delete(entry.FullName);
            removed++;
        }

        return removed;
    }
}
