using EditorBridge.Installer.Host;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// Applies an install's changes one by one and remembers how to take each back: if anything
/// fails half-way (a full disk, a refused permission, a locked file) <see cref="Rollback"/>
/// leaves the machine as it was before the run. Replaced files wait as NAME.editorbridge-old
/// until <see cref="Commit"/>.
/// </summary>
internal sealed class Transaction(Action<string>? beforeWrite)
{
    private readonly Stack<(string What, Action Undo)> undo = new();
    private readonly List<string> oldFiles = [];

    /// <summary>Files of someone else's that were in the way, kept under a backup name.</summary>
    public List<string> Backups { get; } = [];

    public void CreateDirectory(string directory) => Annotated(directory, () =>
    {
        if (Directory.Exists(directory))
            return;
        beforeWrite?.Invoke(directory);
        Directory.CreateDirectory(directory);
        undo.Push(($"folder {directory}", () => RemoveIfEmpty(directory)));
    });

    public void PutFile(FileStep step) => Annotated(step.Destination, () => PutFileCore(step));

    private void PutFileCore(FileStep step)
    {
        var dest = step.Destination;
        beforeWrite?.Invoke(dest);
        var temp = dest + FileOps.NewSuffix;
        try
        {
            FileOps.WriteTemp(temp, step.SourceFile, step.Content);
            if (step.SourceFile is not null)
                FileOps.CopyMode(step.SourceFile, temp, step.Executable);
            else if (step.Executable && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(temp) | UnixFileMode.UserExecute);
        }
        catch
        {
            FileOps.DeleteIfThere(temp);
            throw;
        }

        string? moved = null;
        if (FileOps.Exists(dest))
        {
            if (step.Action == FileAction.Update)
            {
                moved = dest + FileOps.OldSuffix;
                FileOps.DeleteIfThere(moved);
            }
            else
            {
                moved = FileOps.FreeBackupName(dest);
                Backups.Add(moved);
            }

            File.Move(dest, moved);
        }

        try
        {
            File.Move(temp, dest, overwrite: true);
        }
        catch
        {
            if (moved is not null)
                File.Move(moved, dest);
            Backups.Remove(moved ?? "");
            FileOps.DeleteIfThere(temp);
            throw;
        }

        if (step.Action == FileAction.Update && moved is not null)
            oldFiles.Add(moved);
        undo.Push(($"file {dest}", () =>
        {
            FileOps.DeleteIfThere(dest);
            if (moved is not null && FileOps.Exists(moved))
                File.Move(moved, dest);
            Backups.Remove(moved ?? "");
        }));
    }

    /// <summary>Replaces a whole small file (kritarc, the manifest) by new bytes, atomically; null bytes delete it.</summary>
    public void PutBytes(string path, byte[]? content, byte[]? before) => Annotated(path, () =>
    {
        beforeWrite?.Invoke(path);
        WriteAtomically(path, content);
        undo.Push(($"file {path}", () => WriteAtomically(path, before)));
    });

    public void PutLink(LinkStep step) => Annotated(step.Path, () => PutLinkCore(step));

    private void PutLinkCore(LinkStep step)
    {
        beforeWrite?.Invoke(step.Path);
        if (step.Action == LinkAction.Update)
            File.Delete(step.Path);
        File.CreateSymbolicLink(step.Path, step.Target);
        undo.Push(($"link {step.Path}", () =>
        {
            FileOps.DeleteIfThere(step.Path);
            if (step.OldTarget is not null)
                File.CreateSymbolicLink(step.Path, step.OldTarget);
        }));
    }

    public void SetRegistry(IUserRegistry registry, string key, string name, RegistryValue value, RegistryValue? before, bool createdKey)
    {
        registry.Set(key, name, value);
        undo.Push(($@"registry HKCU\{key}\{name}", () =>
        {
            if (before is null)
                registry.Delete(key, name);
            else
                registry.Set(key, name, before);
            if (createdKey)
                registry.DeleteKeyIfEmpty(key);
        }));
    }

    /// <summary>The run succeeded: the replaced versions of our own files go.</summary>
    public void Commit()
    {
        foreach (var old in oldFiles)
        {
            try
            {
                FileOps.DeleteIfThere(old);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // in use (Windows: a program still running from it); the next run removes it
            }
        }

        undo.Clear();
    }

    /// <summary>Takes every change back, newest first; returns what could not be taken back.</summary>
    public List<string> Rollback()
    {
        var failures = new List<string>();
        while (undo.Count > 0)
        {
            var (what, action) = undo.Pop();
            try
            {
                action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{what}: {e.Message}");
            }
        }

        return failures;
    }

    /// <summary>Runs <paramref name="action"/>; a failure carries the path it was about (Exception.Data["path"]).</summary>
    private static void Annotated(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            e.Data["path"] ??= path;
            throw;
        }
    }

    public static void WriteAtomically(string path, byte[]? content)
    {
        if (content is null)
        {
            FileOps.DeleteIfThere(path);
            return;
        }

        var temp = path + FileOps.NewSuffix;
        try
        {
            FileOps.WriteTemp(temp, null, content);
            if (!OperatingSystem.IsWindows() && File.Exists(path))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            FileOps.DeleteIfThere(temp);
            throw;
        }
    }

    public static void RemoveIfEmpty(string directory)
    {
        if (Directory.Exists(directory) && !FileOps.IsLink(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            Directory.Delete(directory);
    }
}
