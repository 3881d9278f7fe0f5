using EditorBridge.Daemon.Core;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Pull;

namespace EditorBridge.Daemon.Models;

/// <summary>
/// What a model pull tells its client, in order: progress (the latest only, when the client reads
/// slower than the download reports), then <see cref="Done"/>; or on failure a
/// <see cref="LicenceNeeded"/> (when that was the reason) and <see cref="Failed"/>.
/// </summary>
public abstract record PullUpdate
{
    private PullUpdate()
    {
    }

    public sealed record Progress(PullProgress Report) : PullUpdate;

    public sealed record LicenceNeeded(string LicenceId, string LicenceUrl) : PullUpdate;

    public sealed record Failed(DaemonError Error, string Message) : PullUpdate;

    public sealed record Done(PullResult Result, InstalledModel Installed) : PullUpdate;
}
