using System.Security.Cryptography;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// File operations the installer builds on. Every file is written beside its destination as
/// <c>NAME.editorbridge-new</c>, flushed, then renamed into place, so a destination is always
/// either the old file or the whole new one; the old one is kept as <c>NAME.editorbridge-old</c>
/// until the install commits (rollback moves it back).
/// </summary>
public static class FileOps
{
    public const string NewSuffix = ".editorbridge-new";
    public const string OldSuffix = ".editorbridge-old";
    public const string BackupSuffix = ".editorbridge-backup";

    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when something (file, folder or link, even a dangling one) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || IsLink(path);

    /// <summary>The folders that creating <paramref name="directory"/> would create, outermost first.</summary>
    public static List<string> MissingDirectories(string directory)
    {
        var missing = new List<string>();
        for (var d = Path.GetFullPath(directory); !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d))
            missing.Insert(0, d);
        return missing;
    }

    /// <summary>The nearest folder at or above <paramref name="path"/> that exists.</summary>
    public static string ExistingAncestor(string path)
    {
        var d = Path.GetFullPath(path);
        while (!Directory.Exists(d))
            d = Path.GetDirectoryName(d) ?? throw new DirectoryNotFoundException(path);
        return d;
    }

    /// <summary>Makes the file at <paramref name="path"/> executable by its owner (Unix; no-op on Windows).</summary>
    public static void CopyMode(string from, string to, bool forceExecutable)
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(from) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (forceExecutable)
            mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(to, mode);
    }

    /// <summary>Writes <paramref name="temp"/> from a source file or bytes and forces it to disk.</summary>
    public static void WriteTemp(string temp, string? sourceFile, byte[]? content)
    {
        using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (sourceFile is not null)
            {
                using var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                source.CopyTo(target, 1 << 20);
            }
            else
            {
                target.Write(content);
            }

            target.Flush(flushToDisk: true);
        }
    }

    /// <summary>A name beside <paramref name="path"/> that is free: NAME.editorbridge-backup, NAME.editorbridge-backup-2, …</summary>
    public static string FreeBackupName(string path)
    {
        var candidate = path + BackupSuffix;
        for (int n = 2; Exists(candidate); n++)
            candidate = $"{path}{BackupSuffix}-{n}";
        return candidate;
    }

    /// <summary>Deletes a file or link if it is there.</summary>
    public static void DeleteIfThere(string path)
    {
        if (File.Exists(path) || IsLink(path))
            File.Delete(path);
    }
}
