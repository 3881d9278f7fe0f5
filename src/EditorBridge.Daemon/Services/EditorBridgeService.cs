using System.Runtime.ExceptionServices;
using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Jobs;
using EditorBridge.Daemon.Models;
using EditorBridge.Daemon.Security;
using EditorBridge.Daemon.Wire;
using Google.Api;
using Google.Protobuf;
using Grpc.Core;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Services;

/// <summary>The gRPC (and transcoded JSON) surface: a thin adapter over validation, the queue and the blob store.</summary>
public sealed class EditorBridgeService(
    DaemonInfoBuilder info,
    JobRequestValidator validator,
    JobQueue queue,
    BlobStore blobs,
    PixelRegions regions,
    InstalledModels models,
    ModelPulls pulls,
    EngineChecks engineChecks,
    Microsoft.Extensions.Options.IOptions<DaemonOptions> options) : Proto.EditorBridge.EditorBridgeBase
{
    public override Task<Proto.DaemonInfo> GetInfo(Proto.GetInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Build(request));

    public override async Task RunJob(Proto.JobRequest request, IServerStreamWriter<Proto.JobEvent> responseStream, ServerCallContext context)
    {
        try
        {
            // the result's region stays until the result is in it, whoever releases it meanwhile
            using var pin = request.ResultRegion is { } place ? regions.Pin(place.RegionId, "result_region") : null;
            await RunJobAsync(request, responseStream, context);
        }
        finally
        {
            if (request.ReleaseBlobs)
                ReleaseBlobs(request);
        }
    }

    // the blobs and pixel regions a request names, freed when its job ends (or it is refused) if it asks so
    private void ReleaseBlobs(Proto.JobRequest request)
    {
        blobs.Release(request.Layer?.BlobId ?? "");
        blobs.Release(request.Mask?.BlobId ?? "");
        regions.Release(request.Layer?.Region?.RegionId ?? "");
        regions.Release(request.Mask?.Region?.RegionId ?? "");
        regions.Release(request.ResultRegion?.RegionId ?? "");
        foreach (var input in request.Inputs.Values)
        {
            blobs.Release(input?.BlobId ?? "");
            regions.Release(input?.Region?.RegionId ?? "");
        }
    }

    private async Task RunJobAsync(Proto.JobRequest request, IServerStreamWriter<Proto.JobEvent> responseStream, ServerCallContext context)
    {
        var plan = validator.Validate(request);
        using var job = new Job(NewJobId(), plan, DateTimeOffset.UtcNow) { Owner = Caller.Of(context.GetHttpContext()).Name };
        // A client that goes away (or whose deadline passes) takes its job with it.
        const string gone = "the client disconnected or its deadline passed";
        await using var _ = context.CancellationToken.Register(() => queue.Cancel(job, gone));
        queue.Submit(job);
        JobUpdate.Failed? error = null;
        ExceptionDispatchInfo? writeFailed = null;
        // Read to the job's end even when the client is gone: the job is cancelled, not left running.
        await foreach (var update in job.Events.ReadAllAsync(CancellationToken.None))
        {
            if (update is JobUpdate.Failed failed)
                error = failed;
            if (writeFailed is not null || context.CancellationToken.IsCancellationRequested)
                continue;
            try
            {
                await responseStream.WriteAsync(JobWire.ToWire(update, job.Id));
            }
            catch (Exception e)
            {
                // Kestrel fails a write to a reset stream at once but cancels the call's token later, on the
                // thread pool: on a busy machine the call could end (and drop the registration above) first,
                // and the job of a client that was gone ran to its end.
                writeFailed = ExceptionDispatchInfo.Capture(e);
                queue.Cancel(job, gone);
            }
        }

        writeFailed?.Throw();
        if (error is not null)
            throw new RpcException(new Status(ErrorCodes.For(error.Error), error.Message));
    }

    public override Task<Proto.CancelJobResponse> CancelJob(Proto.CancelJobRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context.GetHttpContext());
        // another user's job is "not found", as if it did not exist
        var job = (queue.Find(request.JobId) is { } found && caller.MaySee(found.Owner) ? found : null)
            ?? throw new RequestException(DaemonError.NotFound, "job_id", $"no job '{(request.JobId.Length > 64 ? request.JobId[..64] : request.JobId)}'");
        var state = job.State;
        if (job.IsFinished)
            throw new RequestException(DaemonError.Precondition, "job_id", $"job {job.Id} already ended ({state})");
        if (!queue.Cancel(job, "cancelled by CancelJob"))
            throw new RequestException(DaemonError.Precondition, "job_id", $"job {job.Id} is already delivering its result");
        // a queued job is cancelled now; a running one is RUNNING until its engine stops, as before
        return Task.FromResult(new Proto.CancelJobResponse { State = JobWire.ToWire(state == JobState.Queued ? JobState.Cancelled : state) });
    }

    public override Task<Proto.ListJobsResponse> ListJobs(Proto.ListJobsRequest request, ServerCallContext context)
    {
        var response = new Proto.ListJobsResponse();
        var caller = Caller.Of(context.GetHttpContext());
        foreach (var job in queue.Snapshot().Where(j => caller.MaySee(j.Owner)))
        {
            response.Jobs.Add(new Proto.JobSummary
            {
                JobId = job.Id,
                Operation = job.Operation,
                Engine = job.EngineName,
                State = JobWire.ToWire(job.State),
                QueuePosition = job.State == JobState.Queued ? job.QueuePosition : -1,
                Fraction = job.Fraction,
                ClientLabel = job.ClientLabel,
                CreatedUnixMs = job.Created.ToUnixTimeMilliseconds(),
                Owner = job.Owner,
            });
        }

        return Task.FromResult(response);
    }

    public override Task<Proto.BlobRef> PutBlob(Proto.PutBlobRequest request, ServerCallContext context)
    {
        var data = request.Content?.Data ?? ByteString.Empty;
        if (data.IsEmpty)
            throw RequestException.Invalid("content", "empty body; send the raw bytes");
        var (id, expires) = blobs.Put(SharedBytes.ArrayOf(data.Memory));
        return Task.FromResult(new Proto.BlobRef { BlobId = id, SizeBytes = data.Length, ExpiresUnixMs = expires.ToUnixTimeMilliseconds() });
    }

    public override Task<HttpBody> GetBlob(Proto.GetBlobRequest request, ServerCallContext context)
    {
        var data = blobs.Fetch(request.BlobId, "blob_id");
        return Task.FromResult(new HttpBody { ContentType = "application/octet-stream", Data = UnsafeByteOperations.UnsafeWrap(data) });
    }

    public override Task<Proto.PixelRegion> CreatePixelRegion(Proto.CreatePixelRegionRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var connection = http.Connection;
        // the network listener (the only one with TLS) never offers shared memory, even to a peer that
        // looks local (a balancer on the daemon's machine forwards studio users from 127.0.0.1)
        if (http.Request.IsHttps)
            throw new RequestException(DaemonError.Precondition, "", "shared memory is for clients on the daemon's machine, not on its network listener; send the bytes");
        // a Unix socket has no address: its peer is on this machine too
        if (connection.RemoteIpAddress is { } peer && !System.Net.IPAddress.IsLoopback(peer))
            throw new RequestException(DaemonError.Precondition, "", $"shared memory is for clients on the daemon's machine, not {peer}; send the bytes");
        var region = regions.Create(request.SizeBytes, connection.Id);
        return Task.FromResult(new Proto.PixelRegion
        {
            RegionId = region.Id,
            Path = region.Path,
            SizeBytes = region.Size,
            ExpiresUnixMs = region.Expires.ToUnixTimeMilliseconds(),
        });
    }

    public override Task<Proto.ReleasePixelRegionResponse> ReleasePixelRegion(Proto.ReleasePixelRegionRequest request, ServerCallContext context)
    {
        using (regions.Pin(request.RegionId, "region_id"))
            regions.Release(request.RegionId);
        return Task.FromResult(new Proto.ReleasePixelRegionResponse());
    }

    public override Task<Proto.ListModelsResponse> ListModels(Proto.ListModelsRequest request, ServerCallContext context)
    {
        var response = new Proto.ListModelsResponse();
        response.Models.AddRange(models.List().Select(ModelWire.ToWire));
        return Task.FromResult(response);
    }

    public override async Task<Proto.ModelInfo> ImportModel(Proto.ImportModelRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "ImportModel");
        return ModelWire.ToWire(await models.ImportAsync(
            new ModelImportRequest(request.Path, request.Name, request.Kind, request.LicenceId, request.Replace, request.BaseModel, request.LoraStrength), context.CancellationToken));
    }

    public override async Task<Proto.VerifyModelResponse> VerifyModel(Proto.VerifyModelRequest request, ServerCallContext context)
    {
        var verification = await models.VerifyAsync(request.Name, context.CancellationToken);
        var response = new Proto.VerifyModelResponse { Name = verification.Name, Intact = verification.IsIntact };
        response.Problems.AddRange(verification.Problems);
        return response;
    }

    public override Task<Proto.RemoveModelResponse> RemoveModel(Proto.RemoveModelRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "RemoveModel");
        models.Remove(request.Name);
        return Task.FromResult(new Proto.RemoveModelResponse());
    }

    public override Task<Proto.ListCatalogResponse> ListCatalog(Proto.ListCatalogRequest request, ServerCallContext context) =>
        Task.FromResult(PullWire.ToWire(pulls.ListCatalog()));

    public override Task PullModel(Proto.PullModelRequest request, IServerStreamWriter<Proto.PullModelEvent> responseStream, ServerCallContext context)
    {
        RequireAdmin(context, "PullModel");
        return pulls.PullAsync(
            new ModelPullRequest(request.Name, request.Mirror, request.AcceptLicence),
            update => responseStream.WriteAsync(PullWire.ToWire(update), context.CancellationToken),
            context.CancellationToken);
    }

    public override Task<Proto.CheckEnginesResponse> CheckEngines(Proto.CheckEnginesRequest request, ServerCallContext context) =>
        engineChecks.RunAsync(context.CancellationToken);

    /// <summary>
    /// Changing the model store (and ImportModel reads a path on the daemon's machine) is for the
    /// painter on this machine and a studio's admin tokens, not for every studio user.
    /// </summary>
    private static void RequireAdmin(ServerCallContext context, string method)
    {
        var caller = Caller.Of(context.GetHttpContext());
        if (!caller.IsAdmin)
            throw new RequestException(DaemonError.Forbidden, "authorization", $"{method} changes the daemon's model store: only an admin token may ({caller.Name}'s may not)");
    }

    // behind a balancer the id starts with this daemon's backend name, which the balancer routes a CancelJob by id on
    private string NewJobId() => Protocol.BackendRoute.JobId(options.Value.Remote.BackendName, "job-" + Guid.NewGuid().ToString("N")[..16]);
}
