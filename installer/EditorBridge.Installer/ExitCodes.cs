namespace EditorBridge.Installer;

/// <summary>Exit codes of editorbridge-setup (docs/install.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Nothing was changed, or what was changed was put back; the message says why.</summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>Done, with something the painter should read (an editor running, a file kept, kritarc unreadable).</summary>
    public const int DoneWithWarnings = 3;
}
