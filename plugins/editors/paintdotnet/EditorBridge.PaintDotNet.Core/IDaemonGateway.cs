using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>The daemon as the plugin sees it. Failures arrive as <see cref="EditorBridgeProblem"/>; a cancelled job as <see cref="OperationCanceledException"/>.</summary>
public interface IDaemonGateway : IDisposable
{
    /// <summary>Connects (starting the daemon when needed) and returns what it offers.</summary>
    Task<DaemonInfo> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>The daemon's plan for a selection: which part of the layer a job needs (the one context rule, GetInfoRequest.context).</summary>
    Task<ContextAnswer> PlanContextAsync(ContextQuery query, CancellationToken cancellationToken);

    /// <summary>Runs one job; events (queued, started, progress, preview) go to <paramref name="events"/> as they come.</summary>
    Task<JobResult> RunJobAsync(JobRequest request, IProgress<JobEvent> events, CancellationToken cancellationToken);
}
