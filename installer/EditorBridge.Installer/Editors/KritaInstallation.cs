namespace EditorBridge.Installer.Editors;

/// <summary>
/// One way Krita keeps its per-user files: a resource folder (Python plugins in its
/// <c>pykrita/</c>) and a <c>kritarc</c> settings file. <see cref="Evidence"/> says why the
/// installer believes this Krita is on the machine; null when it found none.
/// </summary>
public sealed record KritaInstallation(string Name, string ResourceDirectory, string KritarcPath, string? Evidence)
{
    public string PluginDirectory => Path.Combine(ResourceDirectory, "pykrita");

    public bool Detected => Evidence is not null;
}
