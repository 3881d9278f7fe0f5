using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Grpc.Core;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// <see cref="IDaemonGateway"/> over the .NET client: finds the daemon through the per-user
/// discovery file, starts it when it is not running, and turns every failure into a message
/// that tells the painter what to do.
/// </summary>
public sealed class DaemonGateway(DaemonGatewayOptions options) : IDaemonGateway
{
    private DaemonConnection? connection;

    public DaemonGateway()
        : this(DaemonGatewayOptions.ForThisMachine())
    {
    }

    public async Task<DaemonInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        connection?.Dispose();
        connection = null;
        if (options.DaemonUrl is not null)
            return await ConnectRemoteAsync(cancellationToken).ConfigureAwait(false);
        var locator = options.Locator ?? DaemonLocator.Default();
        var program = options.AutoStart ? locator.Find() : null;
        var connect = new ConnectOptions
        {
            StateDirectory = options.StateDirectory,
            AutoStart = program is not null,
            DaemonCommand = program,
            StartTimeout = options.StartTimeout,
        };
        try
        {
            connection = await DaemonConnection.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
            return await connection.Client.GetInfoAsync(options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonUnavailableException e) when (program is null)
        {
            var why = options.AutoStart
                ? $"EditorBridge is not running and its program was not found (looked in: {locator.Describe()}). Install EditorBridge, or set EDITORBRIDGE_DAEMON to the full path of editorbridge.exe, then open this dialog again."
                : "EditorBridge is not running. Start it with 'editorbridge serve', then open this dialog again.";
            throw new EditorBridgeProblem(ProblemKind.DaemonNotInstalled, why, e);
        }
        catch (DaemonUnavailableException e)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"EditorBridge could not be started: {e.Message}. Run 'editorbridge doctor' to see why.", e);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"EditorBridge does not answer ({e.StatusCode}: {e.Status.Detail}). Restart it with 'editorbridge serve' and try again.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Net.Http.HttpRequestException)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"EditorBridge could not be reached: {e.Message}", e);
        }
    }

    // A studio daemon: its own messages (unreachable, wrong fingerprint, no token) say what to do.
    private async Task<DaemonInfo> ConnectRemoteAsync(CancellationToken cancellationToken)
    {
        var connect = new ConnectOptions
        {
            StateDirectory = options.StateDirectory,
            AutoStart = false,
            DaemonUrl = options.DaemonUrl,
            Fingerprint = options.Fingerprint,
            ConnectTimeout = options.CallTimeout,
        };
        try
        {
            connection = await DaemonConnection.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
            return await connection.Client.GetInfoAsync(options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonUnavailableException e)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"The studio's EditorBridge could not be reached: {e.Message}", e);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"The studio's EditorBridge at {options.DaemonUrl} refused the connection ({e.StatusCode}: {e.Status.Detail}).", e);
        }
    }

    public async Task<ContextAnswer> PlanContextAsync(ContextQuery query, CancellationToken cancellationToken)
    {
        var client = connection?.Client ?? throw new InvalidOperationException("connect first");
        try
        {
            return await client.PlanContextAsync(query, options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the job was cancelled", e, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            throw new EditorBridgeProblem(ProblemKind.JobFailed, $"EditorBridge could not plan the selection: {e.Status.Detail}", e);
        }
        catch (RpcException e)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"EditorBridge does not answer ({e.StatusCode}: {e.Status.Detail}). Nothing was changed; try again.", e);
        }
    }

    public async Task<JobResult> RunJobAsync(JobRequest request, IProgress<JobEvent> events, CancellationToken cancellationToken)
    {
        var client = connection?.Client ?? throw new InvalidOperationException("connect first");
        try
        {
            return await client.RunJobAsync(request, events, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the job was cancelled", e, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            throw new EditorBridgeProblem(ProblemKind.DaemonUnreachable, $"Lost the connection to EditorBridge ({e.Status.Detail}). Nothing was changed; try again.", e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && e.Status.Detail.Contains("offers", StringComparison.Ordinal))
        {
            throw new EditorBridgeProblem(ProblemKind.OperationUnavailable, $"No installed engine can do this: {e.Status.Detail}", e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            throw new EditorBridgeProblem(ProblemKind.TooLarge, $"EditorBridge refused the job: {e.Status.Detail}. Select a smaller region.", e);
        }
        catch (RpcException e)
        {
            throw new EditorBridgeProblem(ProblemKind.JobFailed, $"EditorBridge could not do it ({e.StatusCode}): {e.Status.Detail}", e);
        }
    }

    public void Dispose()
    {
        connection?.Dispose();
        connection = null;
    }
}
