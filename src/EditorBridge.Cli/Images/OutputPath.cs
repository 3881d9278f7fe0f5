using SixLabors.ImageSharp;

namespace EditorBridge.Cli.Images;

/// <summary>
/// Checks where a command will write a picture before any job runs: a known picture extension,
/// not a folder, in a folder that exists (or can be made) and can be written, and the file itself
/// writable when it is already there. A problem is a <see cref="UsageException"/> (exit 2).
/// </summary>
public static class OutputPath
{
    /// <summary>The full path, checked; <paramref name="option"/> names the option in the message (e.g. "-o").</summary>
    public static string Check(string path, string option = "-o")
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UsageException($"{option}: give a file name such as result.png");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) || path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
            throw new UsageException($"{option} {path}: is a folder; give a file name such as {Path.Combine(path, "result.png")}");
        var extension = Path.GetExtension(full).TrimStart('.');
        if (extension.Length == 0 || Configuration.Default.ImageFormatsManager.FindFormatByFileExtension(extension) is null)
            throw new UsageException($"{option} {path}: {(extension.Length == 0 ? "no extension" : $"'.{extension}' is not a picture type this tool writes")}; use one of {KnownExtensions}");
        CheckFolder(option, path, Path.GetDirectoryName(full)!);
        if (File.Exists(full))
        {
            try
            {
                // opening for writing without truncating changes nothing
                using var existing = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                throw new UsageException($"{option} {path}: the file exists and cannot be written ({e.Message})");
            }
        }

        return full;
    }

    /// <summary>A folder the command will write into (made if missing), checked the same way.</summary>
    public static string CheckFolder(string path, string option = "-o")
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new UsageException($"{option} {path}: is a file, not a folder");
        CheckFolder(option, path, full);
        return full;
    }

    public static string KnownExtensions => string.Join(", ", Configuration.Default.ImageFormats.SelectMany(f => f.FileExtensions).Select(e => $".{e}").Distinct().Order(StringComparer.Ordinal));

    // The folder, or the nearest part of it that exists, must be a folder we can create files in.
    private static void CheckFolder(string option, string path, string folder)
    {
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new UsageException($"{option} {path}: {existing} is a file, not a folder");
            existing = Path.GetDirectoryName(existing) ?? throw new UsageException($"{option} {path}: no folder of it exists");
        }

        var probe = Path.Combine(existing, $".editorbridge-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"{option} {path}: cannot write in {existing} ({e.Message})");
        }
    }
}
