using EditorBridge.LocalState;
using EditorBridge.Protocol;
using EditorBridge.Protocol.V1;
using Grpc.Core;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Client;

/// <summary>
/// The daemon's calls as awaitables; job events are reported through <see cref="IProgress{T}"/>.
/// <paramref name="localDaemon"/>: the state folder of a daemon on this machine, whose regions
/// folder jobs may share memory through (null: a remote daemon, bytes only).
/// </summary>
public sealed class EditorBridgeClient(Proto.EditorBridge.EditorBridgeClient client, StatePaths? localDaemon = null) : IDisposable
{
    private readonly SharedPixels? shared = localDaemon is null ? null : new SharedPixels(client, localDaemon.RegionsDirectory);

    public Proto.EditorBridge.EditorBridgeClient Raw { get; } = client;

    /// <summary>
    /// Jobs move their pixels through shared memory (a pixel region) instead of the gRPC message:
    /// true for a daemon on this machine, unless turned off. A refusal falls back to bytes for that
    /// job; <see cref="Timings.PixelsIn"/> says which way each job went.
    /// </summary>
    public bool UsesSharedMemory => shared is not null && SharedMemory;

    /// <summary>Set false to always send bytes (benchmarks, tests of the byte path).</summary>
    public bool SharedMemory { get; set; } = true;

    public async Task<DaemonInfo> GetInfoAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await Raw.GetInfoAsync(new GetInfoRequest(), deadline: Deadline(timeout), cancellationToken: cancellationToken);

    /// <summary>
    /// The daemon's plan for a selection (GetInfoRequest.context): the crop of the layer to send,
    /// the result's bounds and what the engine sees. A bad query throws <see cref="RpcException"/> (INVALID_ARGUMENT).
    /// </summary>
    public async Task<ContextAnswer> PlanContextAsync(ContextQuery query, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await Raw.GetInfoAsync(new GetInfoRequest { Context = query }, deadline: Deadline(timeout), cancellationToken: cancellationToken)).Context;

    /// <summary>
    /// Runs a job to its end. Every event (queued, started, progress, preview) goes to
    /// <paramref name="events"/>; the result is returned. Cancelling the token cancels the job
    /// on the daemon. A refused or failed job throws <see cref="RpcException"/> with the status.
    /// </summary>
    public Task<JobResult> RunJobAsync(JobRequest request, IProgress<JobEvent>? events = null, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        RunJobIntoAsync(request, Memory<byte>.Empty, events, cancellationToken, timeout);

    /// <summary>
    /// <see cref="RunJobAsync"/>, with the result layer's pixels put into <paramref name="layerInto"/>,
    /// a buffer the caller keeps from job to job: <c>result.Layer.Data</c> then wraps its first bytes
    /// (the caller must not reuse the buffer while it still reads that result). From a shared-memory
    /// region that saves a fresh layer-sized array per job, whose first touch costs more than the copy
    /// (docs/benchmarks.md, pixel paths). A result larger than the buffer, or one that came as bytes,
    /// comes in its own array as with <see cref="RunJobAsync"/>.
    /// </summary>
    public async Task<JobResult> RunJobIntoAsync(JobRequest request, Memory<byte> layerInto, IProgress<JobEvent>? events = null, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        UsesSharedMemory
            ? await shared!.RunAsync(request, r => RunStreamAsync(r, events, cancellationToken, timeout), layerInto, cancellationToken)
            : await RunStreamAsync(request, events, cancellationToken, timeout);

    private async Task<JobResult> RunStreamAsync(JobRequest request, IProgress<JobEvent>? events, CancellationToken cancellationToken, TimeSpan? timeout)
    {
        using var call = Raw.RunJob(request, deadline: Deadline(timeout), cancellationToken: cancellationToken);
        JobResult? result = null;
        try
        {
            await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                events?.Report(e);
                if (e.EventCase == JobEvent.EventOneofCase.Result)
                    result = e.Result;
            }
        }
        catch (RpcException e) when (BrokenConnection(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the connection to the daemon broke during the job (the daemon, or the balancer's backend running it, stopped): {e.Status.Detail}", e.Status.DebugException));
        }

        return result ?? throw new RpcException(new Status(StatusCode.Internal, "the job stream ended without a result"));
    }

    /// <summary>Asks the daemon to run each of its engines once on a tiny test picture (what <c>doctor</c> shows).</summary>
    public async Task<CheckEnginesResponse> CheckEnginesAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await Raw.CheckEnginesAsync(new CheckEnginesRequest(), deadline: Deadline(timeout), cancellationToken: cancellationToken);

    /// <summary>Cancels a job by id; an id naming its backend (<see cref="BackendRoute"/>) sends the name along for a balancer to route on.</summary>
    public async Task<CancelJobResponse> CancelJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        await Raw.CancelJobAsync(new CancelJobRequest { JobId = jobId }, headers: BackendRoute.HeadersFor(jobId), cancellationToken: cancellationToken);

    public async Task<ListJobsResponse> ListJobsAsync(CancellationToken cancellationToken = default) =>
        await Raw.ListJobsAsync(new ListJobsRequest(), cancellationToken: cancellationToken);

    /// <summary>
    /// Downloads a catalog model on the daemon. Progress and licence events go to <paramref name="events"/>;
    /// the installed model is returned. A refused or failed pull throws <see cref="RpcException"/> with the
    /// status; cancelling the token stops the download (the daemon keeps its bytes for a resume).
    /// </summary>
    public async Task<PullModelDone> PullModelAsync(PullModelRequest request, IProgress<PullModelEvent>? events = null, CancellationToken cancellationToken = default)
    {
        using var call = Raw.PullModel(request, cancellationToken: cancellationToken);
        PullModelDone? done = null;
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            events?.Report(e);
            if (e.EventCase == PullModelEvent.EventOneofCase.Done)
                done = e.Done;
        }

        return done ?? throw new RpcException(new Status(StatusCode.Internal, "the pull stream ended without a result"));
    }

    /// <summary>
    /// A job's stream that ended because its connection broke, not because the daemon answered:
    /// gRPC reports that as INTERNAL with the transport's exception (the response ended early, or
    /// nginx reset the stream when its backend died), or as CANCELLED "No grpc-status found on
    /// response." (HAProxy ends the stream without the trailers a daemon always sends). It is
    /// UNAVAILABLE in the contract's words: the job did not fail, the daemon went away, and a new
    /// job may go to another one. (The caller's own cancellation is told apart where the call is made.)
    /// </summary>
    public static bool BrokenConnection(RpcException e) =>
        (e.StatusCode == StatusCode.Internal
         && e.Status.DebugException is System.IO.IOException or System.Net.Http.HttpRequestException or System.Net.Http.HttpProtocolException)
        || (e.StatusCode == StatusCode.Cancelled && e.Status.Detail == NoStatusDetail);

    // grpc-dotnet's words for a response that ended without grpc-status (Grpc.Net.Client 2.x)
    private const string NoStatusDetail = "No grpc-status found on response.";

    public void Dispose() => shared?.Dispose();

    private static DateTime? Deadline(TimeSpan? timeout) => timeout is { } t ? DateTime.UtcNow + t : null;
}
