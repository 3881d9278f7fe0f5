using EditorBridge.LocalState;

namespace EditorBridge.Daemon.Hosting;

/// <summary>Another daemon already serves this user's state folder.</summary>
public sealed class DaemonAlreadyRunningException(StatePaths paths, DiscoveryInfo? running)
    : Exception(running is null
        ? $"another EditorBridge daemon holds {paths.LockFile}"
        : $"an EditorBridge daemon is already running (pid {running.Pid}, gRPC port {running.GrpcPort}, JSON port {running.HttpPort})")
{
    public DiscoveryInfo? Running { get; } = running;
}
