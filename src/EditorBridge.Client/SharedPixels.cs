using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Client;

/// <summary>
/// The shared-memory path for a job's pixels when the daemon runs on this machine: the layer, mask
/// and extra pictures go into a pixel region the daemon made, the request names it, and the daemon
/// writes the result back into the same region (it has taken its own copy of the input first). One
/// region is kept for the next job (mapping it again would fault every page in again); it is freed
/// with the connection. Anything the daemon refuses (shared memory off, a remote peer, the blob
/// budget, a region gone) or this side (a file that is not a region of this user's regions folder,
/// <paramref name="regionsDirectory"/>) makes the job go with bytes instead, and the result's
/// timings say so.
/// </summary>
internal sealed class SharedPixels(Proto.EditorBridge.EditorBridgeClient raw, string regionsDirectory) : IDisposable
{
    /// <summary>Pictures smaller than this go as bytes: the extra call costs more than it saves.</summary>
    public const long MinimumBytes = 256 * 1024;

    private readonly SemaphoreSlim cacheGate = new(1, 1);
    private MappedRegion? cached;
    private string? refused;

    /// <summary>Why the last try was refused (null: never); after a refusal the daemon is asked again on the next job.</summary>
    public string? LastRefusal => refused;

    /// <summary>
    /// Runs <paramref name="request"/> through the kept region (or bytes). The result layer's pixels
    /// are copied out of the region into <paramref name="layerInto"/> when it is given and large
    /// enough (a buffer the caller keeps: no fresh array, whose first touch costs more than the copy),
    /// else into a new array.
    /// </summary>
    public async Task<JobResult> RunAsync(JobRequest request, Func<JobRequest, Task<JobResult>> run, Memory<byte> layerInto, CancellationToken cancellationToken)
    {
        long inputBytes = InlineBytes(request);
        if (inputBytes < MinimumBytes)
            return await run(request);
        // the result (same format, inside the layer) and a segment mask fit in the input's place
        long size = RoundUp(Math.Max(inputBytes, request.Layer.Data.Length + (long)request.Layer.Width * request.Layer.Height));
        bool fromCache = await cacheGate.WaitAsync(0, cancellationToken);
        MappedRegion? region = null;
        try
        {
            try
            {
                region = fromCache && cached is { } c && c.Size >= size ? c : await CreateAsync(size, replaceCached: fromCache, cancellationToken);
            }
            catch (RpcException e) when (IsRefusal(e))
            {
                return Fallback(await run(request), e.Status.Detail);
            }

            var shared = Place(request, region);
            JobResult result;
            try
            {
                result = await run(shared);
            }
            catch (RpcException e) when (IsAboutRegion(e))
            {
                // the kept region went with an idle connection: one more try in a new one
                if (ReferenceEquals(region, cached) && e.StatusCode == StatusCode.NotFound)
                {
                    DropCached();
                    region = null;
                    try
                    {
                        region = await CreateAsync(size, replaceCached: true, cancellationToken);
                    }
                    catch (RpcException refusedAgain) when (IsRefusal(refusedAgain))
                    {
                        // a new region is refused now (the budget is taken, the file is not ours): bytes
                        return Fallback(await run(request), refusedAgain.Status.Detail);
                    }

                    shared = Place(request, region);
                    try
                    {
                        return Collect(await run(shared), region, layerInto);
                    }
                    catch (RpcException again) when (IsAboutRegion(again))
                    {
                        e = again;
                    }
                }

                if (ReferenceEquals(region, cached))
                    DropCached();
                return Fallback(await run(request), e.Status.Detail);
            }

            refused = null;
            return Collect(result, region, layerInto);
        }
        finally
        {
            if (region is not null && !ReferenceEquals(region, cached))
                await ReleaseAsync(region);
            if (fromCache)
                cacheGate.Release();
        }
    }

    private async Task<MappedRegion> CreateAsync(long size, bool replaceCached, CancellationToken cancellationToken)
    {
        if (replaceCached && cached is not null)
        {
            await ReleaseAsync(cached);
            cached = null;
        }

        var made = await raw.CreatePixelRegionAsync(new CreatePixelRegionRequest { SizeBytes = size }, cancellationToken: cancellationToken);
        MappedRegion region;
        try
        {
            region = new MappedRegion(made.RegionId, regionsDirectory, made.Path, made.SizeBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a daemon on another machine behind a loopback proxy, a file we may not open, or one
            // that is not a region of this user's (RegionFiles.OpenForMapping says which)
            await raw.ReleasePixelRegionAsync(new ReleasePixelRegionRequest { RegionId = made.RegionId });
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"cannot map the daemon's region: {e.Message}"));
        }

        if (replaceCached)
            cached = region;
        return region;
    }

    // The request with its inline pictures moved into the region, and the result asked there.
    private static JobRequest Place(JobRequest request, MappedRegion region)
    {
        var shared = request.Clone();
        long at = 0;
        if (shared.Layer.PixelsCase == Image.PixelsOneofCase.Data)
            shared.Layer.Region = Put(region, ref at, shared.Layer.Data);
        if (shared.Mask is { CoverageSourceCase: Mask.CoverageSourceOneofCase.Coverage } mask)
            mask.Region = Put(region, ref at, mask.Coverage);
        foreach (var input in shared.Inputs.Values)
        {
            if (input.PixelsCase == Image.PixelsOneofCase.Data)
                input.Region = Put(region, ref at, input.Data);
        }

        shared.ResultRegion = new RegionRef { RegionId = region.Id, Offset = 0, Length = region.Size };
        return shared;
    }

    private static RegionRef Put(MappedRegion region, ref long at, ByteString bytes)
    {
        region.Write(at, bytes);
        var place = new RegionRef { RegionId = region.Id, Offset = at, Length = bytes.Length };
        at += bytes.Length;
        return place;
    }

    // The result's pixels out of the region, so callers see inline bytes whichever way they came.
    private static JobResult Collect(JobResult result, MappedRegion region, Memory<byte> layerInto)
    {
        if (result.Layer?.PixelsCase == Image.PixelsOneofCase.Region)
            result.Layer.Data = UnsafeByteOperations.UnsafeWrap(ReadBack(result.Layer.Region, region, layerInto));
        if (result.Mask?.CoverageSourceCase == Mask.CoverageSourceOneofCase.Region)
            result.Mask.Coverage = UnsafeByteOperations.UnsafeWrap(ReadBack(result.Mask.Region, region, Memory<byte>.Empty));
        return result;
    }

    private static ReadOnlyMemory<byte> ReadBack(RegionRef place, MappedRegion region, Memory<byte> into)
    {
        if (place.RegionId != region.Id)
            throw new InvalidDataException($"the daemon answered in region '{place.RegionId}', not '{region.Id}'");
        if (into.Length == 0 || place.Length > into.Length)
            return region.Read(place.Offset, place.Length);
        var target = into[..(int)place.Length];
        region.Read(place.Offset, target.Span.Length, target);
        return target;
    }

    private JobResult Fallback(JobResult result, string why)
    {
        refused = why;
        if (result.Provenance?.Timings is { } timings)
        {
            timings.PixelsIn = $"bytes (shared memory refused: {why})";
        }

        return result;
    }

    // What makes the job go with bytes: the daemon (or this side) will not share memory for it now.
    private static bool IsRefusal(RpcException e) =>
        e.StatusCode is StatusCode.FailedPrecondition or StatusCode.ResourceExhausted or StatusCode.Unimplemented or StatusCode.InvalidArgument;

    private static bool IsAboutRegion(RpcException e) =>
        e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.FailedPrecondition
        && (e.Status.Detail.Contains(".region", StringComparison.Ordinal) || e.Status.Detail.StartsWith("result_region", StringComparison.Ordinal));

    private async Task ReleaseAsync(MappedRegion region)
    {
        region.Dispose();
        try
        {
            await raw.ReleasePixelRegionAsync(new ReleasePixelRegionRequest { RegionId = region.Id });
        }
        catch (RpcException)
        {
            // gone already (its connection closed, it expired): nothing to free
        }
    }

    private void DropCached()
    {
        cached?.Dispose();
        cached = null;
    }

    private static long InlineBytes(JobRequest request)
    {
        if (request.Layer is not { PixelsCase: Image.PixelsOneofCase.Data } layer)
            return 0;
        long total = layer.Data.Length;
        if (request.Mask is { CoverageSourceCase: Mask.CoverageSourceOneofCase.Coverage } mask)
            total += mask.Coverage.Length;
        foreach (var input in request.Inputs.Values)
            total += input.PixelsCase == Image.PixelsOneofCase.Data ? input.Data.Length : 0;
        return total;
    }

    private static long RoundUp(long bytes) => (bytes + (1 << 20) - 1) & ~((1L << 20) - 1);

    public void Dispose()
    {
        // the daemon frees the region when this connection closes
        DropCached();
        cacheGate.Dispose();
    }
}
