namespace EditorBridge.Installer;

public sealed record UninstallOptions
{
    public bool DryRun { get; init; }

    /// <summary>Also delete the user's settings, token, logs and models.</summary>
    public bool Purge { get; init; }
}
