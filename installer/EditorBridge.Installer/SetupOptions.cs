namespace EditorBridge.Installer;

/// <summary>What the painter asked for on the command line.</summary>
public sealed record SetupOptions
{
    /// <summary>The unpacked package (payload/ beside the setup program by default).</summary>
    public required string PayloadDirectory { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Register the daemon to start at login: true/false to change, null to keep what the last install chose (off at first).</summary>
    public bool? Autostart { get; init; }

    public bool Krita { get; init; } = true;

    public bool PaintDotNet { get; init; } = true;

    /// <summary>Windows: put the program folder on the user's PATH (the Krita bridge finds the daemon there).</summary>
    public bool UserPath { get; init; } = true;

    /// <summary>The runtime identifier the package must be for (null: do not check; tests simulating another OS).</summary>
    public string? RequiredRuntime { get; init; }
}
