using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Installation;

/// <summary>
/// Tidies what a killed run left: half-written NAME.editorbridge-new files go; a
/// NAME.editorbridge-old goes when the new file is in place, and is moved back when it is not.
/// </summary>
internal static class Recovery
{
    public static int Run(InstallManifest journal)
    {
        int fixedCount = 0;
        foreach (var path in journal.Files.Select(f => f.Path).Concat(journal.Kritarc.Select(k => k.Path)))
        {
            var temp = path + FileOps.NewSuffix;
            if (FileOps.Exists(temp))
            {
                FileOps.DeleteIfThere(temp);
                fixedCount++;
            }

            var old = path + FileOps.OldSuffix;
            if (FileOps.Exists(old))
            {
                if (FileOps.Exists(path))
                    FileOps.DeleteIfThere(old);
                else
                    File.Move(old, path);
                fixedCount++;
            }
        }

        return fixedCount;
    }
}
