using System.Security.Cryptography;

namespace EditorBridge.LocalState;

/// <summary>
/// The one rule for shared-memory pixel region files, for the daemon that makes them and the .NET
/// clients that map them: a region file is <c>px-</c> and 32 lowercase hex digits, directly in the
/// state folder's <c>regions</c> folder (<see cref="StatePaths.RegionsDirectory"/>). A client maps
/// only such a file, and only after <see cref="OpenForMapping"/> checked it: the server's answer
/// is a claim, not a path to trust (a stale discovery file can lead to another user's server).
/// </summary>
public static class RegionFiles
{
    public const string Prefix = "px-";

    private const int HexDigits = 32;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>A fresh random region file name (128 bits).</summary>
    public static string NewName() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexDigits / 2));

    /// <summary>True for a name <see cref="NewName"/> could have made (nothing else: no separators, no dots).</summary>
    public static bool IsName(string name) =>
        name.Length == Prefix.Length + HexDigits && name.StartsWith(Prefix, StringComparison.Ordinal)
        && !name.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef");

    /// <summary>
    /// Opens the region file a daemon named, for reading and writing and for nothing else: never
    /// created, never grown, never through a link. Throws <see cref="IOException"/> saying why when
    /// <paramref name="path"/> is not directly in <paramref name="regionsDirectory"/> (compared as
    /// text, no link resolved), its name is not a region name, the folder is not this user's alone,
    /// the entry is a link or not a regular file of this user, or its length is not
    /// <paramref name="size"/>. Other processes may keep reading, writing and deleting it.
    /// </summary>
    public static FileStream OpenForMapping(string regionsDirectory, string path, long size)
    {
        if (size <= 0)
            throw Refused(path, $"its size {size} is not a size");
        var folder = Path.TrimEndingDirectorySeparator(regionsDirectory);
        var name = Path.GetFileName(path);
        if (!Path.IsPathFullyQualified(path) || !string.Equals(Path.GetDirectoryName(path), folder, PathComparison) || !IsName(name))
            throw Refused(path, $"only a file {Prefix}<{HexDigits} hex digits> directly in {folder} is mapped");
        if (OperatingSystem.IsWindows())
            return OpenOnWindows(folder, path, size);
        if (!UnixFileStatus.IsSupported)
            throw Refused(path, "the owner of a region file cannot be checked on this system");
        CheckFolders(folder);
        var entry = UnixFileStatus.OfEntry(path);
        Check(entry, path, size);
        var stream = Open(path);
        try
        {
            var opened = UnixFileStatus.Of(stream.SafeFileHandle, path);
            Check(opened, path, size);
            if ((opened.Device, opened.Inode) != (entry.Device, entry.Inode))
                throw Refused(path, "it was replaced while it was opened");
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    // The regions folder: this user's, a real folder, open to nobody else; the state folder above it:
    // this user's and writable by nobody else, so nobody can put another folder in its place.
    private static void CheckFolders(string folder)
    {
        var regions = UnixFileStatus.OfEntry(folder);
        if (regions.Type != UnixFileType.Directory)
            throw Refused(folder, regions.Type == UnixFileType.SymbolicLink ? "the regions folder is a symbolic link" : "the regions folder is not a folder");
        if (regions.Owner != UnixFileStatus.CurrentUser)
            throw Refused(folder, "the regions folder belongs to another user");
        if ((regions.Mode & GroupOrOther) != 0)
            throw Refused(folder, "the regions folder is open to other users");
        var state = Path.GetDirectoryName(folder);
        if (state is null)
            return;
        var above = UnixFileStatus.OfTarget(state);
        if (above.Owner != UnixFileStatus.CurrentUser || (above.Mode & GroupOrOtherWrite) != 0)
            throw Refused(state, "the state folder is not this user's alone (others could replace its regions folder)");
    }

    private static void Check(UnixFileStatus status, string path, long size)
    {
        if (status.Type == UnixFileType.SymbolicLink)
            throw Refused(path, "it is a symbolic link");
        if (status.Type != UnixFileType.Regular)
            throw Refused(path, "it is not a regular file");
        if (status.Owner != UnixFileStatus.CurrentUser)
            throw Refused(path, "it belongs to another user");
        if (status.Size != size)
            throw Refused(path, $"it is {status.Size} bytes, not the {size} the daemon said");
    }

    // Windows: a reparse point (link, junction) is refused; the owner is not checked here (see
    // docs/architecture.md, shared memory on Windows).
    private static FileStream OpenOnWindows(string folder, string path, long size)
    {
        var regions = new DirectoryInfo(folder);
        if (!regions.Exists || regions.LinkTarget is not null || regions.Attributes.HasFlag(FileAttributes.ReparsePoint))
            throw Refused(folder, "the regions folder is missing or a link");
        var file = new FileInfo(path);
        if (!file.Exists || file.LinkTarget is not null || file.Attributes.HasFlag(FileAttributes.ReparsePoint))
            throw Refused(path, "it is missing or a link");
        var stream = Open(path);
        try
        {
            if (stream.Length != size)
                throw Refused(path, $"it is {stream.Length} bytes, not the {size} the daemon said");
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // FileShare.ReadWrite | Delete: the daemon keeps its own handle open for writing, and deletes the
    // file when the region is freed; on Windows share modes are enforced, so both must be allowed.
    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete });

    private static IOException Refused(string path, string why) => new($"{path}: {why}");
}
