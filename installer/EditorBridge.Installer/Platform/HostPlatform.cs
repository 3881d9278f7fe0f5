namespace EditorBridge.Installer.Platform;

/// <summary>The operating system whose folder conventions the installer follows.</summary>
public enum HostPlatform
{
    Linux,
    Windows,
    MacOS,
}
