namespace EditorBridge.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int DaemonUnavailable = 3;
    public const int Refused = 4;
    public const int Cancelled = 5;
    public const int DoctorFoundProblems = 6;

    /// <summary><c>serve</c>: another daemon already serves this state folder (clients that auto-start wait for that one).</summary>
    public const int AlreadyRunning = EditorBridge.Client.DaemonLauncher.AlreadyRunningExitCode;
}
