namespace EditorBridge.Installer.Host;

/// <summary>What the installer needs to know about running programs: editors to warn about, daemons to stop.</summary>
public interface IProcessProbe
{
    /// <summary>Ids of running processes called <paramref name="processName"/> (krita, paintdotnet).</summary>
    IReadOnlyList<int> Running(string processName);

    /// <summary>Ids of running processes whose program file is inside <paramref name="appDirectory"/>.</summary>
    IReadOnlyList<int> RunningFrom(string appDirectory);

    /// <summary>Asks the process to stop (SIGTERM on Unix), kills it after <paramref name="grace"/>; true when it is gone.</summary>
    bool Stop(int pid, TimeSpan grace);
}
