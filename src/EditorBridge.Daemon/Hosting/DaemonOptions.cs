using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Hosting;

/// <summary>Daemon settings (section "EditorBridge" of configuration, or command-line flags).</summary>
public sealed class DaemonOptions
{
    /// <summary>Port for gRPC (HTTP/2 cleartext). 0 picks a free one.</summary>
    public int GrpcPort { get; set; }

    /// <summary>Port for JSON over HTTP/1.1. 0 picks a free one.</summary>
    public int HttpPort { get; set; }

    /// <summary>Per-user state folder (token, discovery file). Empty: the platform default.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Folder with one sub-folder per engine plugin. Empty: "engines" beside the daemon.</summary>
    public string? EnginesDirectory { get; set; }

    public LimitsOptions Limits { get; set; } = new();

    public GeometrySettings Geometry { get; set; } = GeometrySettings.Default;

    /// <summary>How many finished jobs ListJobs remembers.</summary>
    public int FinishedJobsKept { get; set; } = 50;
}
