namespace EditorBridge.ModelStore;

/// <summary>
/// Paths inside a model's folder. Manifest paths are relative, '/'-separated and stay inside the
/// folder; on disk no symbolic link may lead out of it.
/// </summary>
public static class ModelPath
{
    /// <summary>Null when <paramref name="relative"/> is an acceptable manifest path, otherwise why not.</summary>
    public static string? Problem(string? relative)
    {
        if (string.IsNullOrEmpty(relative))
            return "a file path is empty";
        if (relative.Contains('\\') || relative.Contains(':') || relative.Contains('\0'))
            return $"the file path '{relative}' must use '/' and no drive or special characters";
        if (relative.StartsWith('/'))
            return $"the file path '{relative}' is absolute; manifest paths are relative to the model's folder";
        var segments = relative.Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
            return $"the file path '{relative}' leaves the model's folder or has an empty, '.' or '..' part";
        if (string.Equals(relative, ModelManifest.FileName, StringComparison.OrdinalIgnoreCase))
            return $"the file path '{relative}' names the manifest itself";
        return null;
    }

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="directory"/>, after <see cref="Problem"/> passed.</summary>
    public static string Combine(string directory, string relative) =>
        Path.Combine([directory, .. relative.Split('/')]);

    /// <summary>
    /// Null when <paramref name="fullPath"/> (under <paramref name="directory"/>) and every folder
    /// between them are real entries or links that resolve inside <paramref name="directory"/>.
    /// </summary>
    public static string? LinkEscape(string directory, string fullPath, string shownPath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var realRoot = RealPath(root);
        var current = Path.GetFullPath(fullPath);
        while (current.Length > root.Length)
        {
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is not null)
            {
                var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsInside(realRoot, RealPath(target.FullName)))
                    return $"'{shownPath}' is a symbolic link that leads out of the model's folder (copy the real files in, e.g. cp -rL)";
            }

            current = Path.GetDirectoryName(current) ?? root;
        }

        return null;
    }

    /// <summary>'/'-separated path of <paramref name="fullPath"/> relative to <paramref name="directory"/>.</summary>
    public static string Relative(string directory, string fullPath) =>
        Path.GetRelativePath(directory, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path == root;

    private static string RealPath(string path)
    {
        // Resolve links on every ancestor too, so "/tmp" → "/private/tmp"-style roots compare equal.
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        var resolvedParent = parent is null ? null : RealPath(parent);
        var rebuilt = resolvedParent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
        FileSystemInfo entry = Directory.Exists(rebuilt) ? new DirectoryInfo(rebuilt) : new FileInfo(rebuilt);
        return entry.LinkTarget is null ? rebuilt : entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? rebuilt;
    }
}
