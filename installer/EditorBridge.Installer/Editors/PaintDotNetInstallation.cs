namespace EditorBridge.Installer.Editors;

/// <summary>
/// Paint.NET as found on this machine: which editions (classic installer, Microsoft Store) and the
/// per-user Effects folder the plugin goes in. Both editions load plugins from
/// <c>Documents\paint.net App Files\Effects</c> (the Store edition reads no other place), so one
/// copy serves both.
/// </summary>
public sealed record PaintDotNetInstallation(IReadOnlyList<string> Editions, string EffectsDirectory)
{
    public const string PluginFolderName = "EditorBridge";

    public string PluginDirectory => Path.Combine(EffectsDirectory, PluginFolderName);

    public bool Detected => Editions.Count > 0;
}
