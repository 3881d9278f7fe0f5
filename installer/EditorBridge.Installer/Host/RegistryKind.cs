namespace EditorBridge.Installer.Host;

public enum RegistryKind
{
    String,
    ExpandString,
    DWord,
}
