namespace EditorBridge.LocalState;

/// <summary>
/// Where installed models live: per user, apart from the small state files because models are
/// large data. EDITORBRIDGE_MODELS_DIR overrides it (tests, studios with a shared disk).
/// Linux: $XDG_DATA_HOME/editorbridge/models or ~/.local/share/editorbridge/models;
/// Windows: %LOCALAPPDATA%\EditorBridge\models; macOS: ~/Library/Application Support/EditorBridge/models.
/// </summary>
public static class ModelStoreLocation
{
    public const string ModelsDirVariable = "EDITORBRIDGE_MODELS_DIR";

    public static string ForCurrentUser(string? overrideDirectory = null)
    {
        var dir = overrideDirectory ?? Environment.GetEnvironmentVariable(ModelsDirVariable);
        if (string.IsNullOrWhiteSpace(dir))
            dir = DefaultDirectory();
        return Path.GetFullPath(dir);
    }

    private static string DefaultDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "EditorBridge", "models");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Application Support", "EditorBridge", "models");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "editorbridge", "models");
    }
}
