namespace EditorBridge.Daemon.Jobs;

/// <summary>Runs one job to its end, publishing its events; never throws.</summary>
public interface IJobExecutor
{
    Task ExecuteAsync(Job job);
}
