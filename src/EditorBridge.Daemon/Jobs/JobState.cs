namespace EditorBridge.Daemon.Jobs;

/// <summary>Where a job stands; the last three are final.</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
