using System.Diagnostics;
using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Engines;
using EditorBridge.Imaging;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// Runs a job: cuts the work area, runs the engine off the request thread, checks what it
/// returned, blends it back and publishes the result. A failing engine fails its job only.
/// </summary>
public sealed class JobExecutor(IOptions<DaemonOptions> options, BlobStore blobs, ILogger<JobExecutor> logger, ModelStore.ModelStore? models = null, PixelRegions? regions = null) : IJobExecutor
{
    private readonly LimitsOptions limits = options.Value.Limits;

    public async Task ExecuteAsync(Job job)
    {
        if (!job.TryTransition(JobState.Running))
            return;
        var queuedMs = (DateTimeOffset.UtcNow - job.Created).TotalMilliseconds;
        job.Publish(new JobUpdate.Started(job.Plan.Engine.Name, job.Plan.Engine.Device));
        using var timeout = new CancellationTokenSource();
        if (limits.JobTimeoutSeconds > 0)
            timeout.CancelAfter(TimeSpan.FromSeconds(limits.JobTimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(job.CancellationToken, timeout.Token);
        try
        {
            var result = await RunAsync(job, queuedMs, linked.Token);
            if (!job.TryClaimResult())
            {
                // a cancellation was accepted while the result was being made: it wins
                job.TryTransition(JobState.Cancelled);
                job.Finish(new JobUpdate.Failed(DaemonError.Cancelled, job.CancelReason));
                return;
            }

            job.TryTransition(JobState.Succeeded);
            job.Fraction = 1;
            job.Finish(new JobUpdate.Succeeded(result));
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            job.TryTransition(JobState.Cancelled);
            var deadline = timeout.IsCancellationRequested && !job.CancellationToken.IsCancellationRequested;
            job.Finish(new JobUpdate.Failed(deadline ? DaemonError.TimedOut : DaemonError.Cancelled,
                deadline ? $"the job ran past its limit of {limits.JobTimeoutSeconds} s (EditorBridge:Limits:JobTimeoutSeconds)" : job.CancelReason));
        }
        catch (EngineInputException e)
        {
            job.TryTransition(JobState.Failed);
            var field = RequestField(e.Field);
            job.Finish(new JobUpdate.Failed(DaemonError.Invalid, $"{field}: {e.Message}", field));
        }
        catch (InsufficientMemoryException e)
        {
            // an engine's pre-flight estimate refused the job before running out of memory
            job.TryTransition(JobState.Failed);
            job.Finish(new JobUpdate.Failed(DaemonError.OverLimit, $"engine '{job.Plan.Engine.Name}': {e.Message}"));
        }
        catch (RequestException e)
        {
            job.TryTransition(JobState.Failed);
            job.Finish(new JobUpdate.Failed(e.Error, e.Message, e.Field));
        }
        catch (Exception e)
        {
            logger.LogError(e, "engine {Engine} failed job {Job}", job.Plan.Engine.Name, job.Id);
            job.TryTransition(JobState.Failed);
            job.Finish(new JobUpdate.Failed(DaemonError.Internal, $"engine '{job.Plan.Engine.Name}' failed: {e.GetType().Name}: {e.Message}"));
        }
    }

    // JSON clients fetch result pictures as blobs; a full blob store fails the job (OverLimit on "content").
    private string? Deliver(byte[] data, ResultDelivery delivery) =>
        delivery == ResultDelivery.Blob ? blobs.Put(data, freeOnFetch: true).Id : null;

    private async Task<JobResult> RunAsync(Job job, double queuedMs, CancellationToken cancellationToken)
    {
        var plan = job.Plan;
        var operation = plan.Engine.Operation(plan.Operation)!;
        var area = plan.Mask is null
            ? SelectionWorkArea.WholeLayer(plan.Layer, operation.MaxWorkingSide, operation.SizeMultiple)
            : SelectionWorkArea.Plan(plan.Layer, plan.Mask, plan.Geometry, operation.MaxWorkingSide, operation.SizeMultiple);
        var work = area.WorkImage();
        // Engines must treat their input as read only, but a plugin may not. With a selection the
        // original pixels are blended back afterwards, so the engine never gets the layer's own array
        // then (whole-layer jobs still share it: nothing of the original is used after the engine).
        if (plan.Mask is not null && ReferenceEquals(work, plan.Layer.Data))
            work = (byte[])work.Clone();
        var request = new EngineRequest(
            plan.Operation,
            new EngineImage(area.WorkWidth, area.WorkHeight, work),
            area.WorkHole() is { } hole ? new EngineMask(area.WorkWidth, area.WorkHeight, hole) { Selected = area.WorkSelected() } : null,
            plan.Canvas.ForWorkArea(plan.Parameters, area),
            plan.Seed,
            plan.Prompt,
            plan.NegativePrompt)
        {
            Inputs = WorkInputs(operation, plan.Inputs, area),
            Model = plan.Model,
        };
        int scale = plan.Canvas.OutputScale;

        var clock = Stopwatch.StartNew();
        var progress = new JobProgressReporter(job);
        // The job ends when it is cancelled (client gone, deadline, CancelJob, job timeout) even if the
        // engine ignores its token: otherwise a hung plugin held its device lane, and every later job
        // on that device, forever. The abandoned call runs on in the background and is logged.
        var engineCall = Task.Run(() => plan.Engine.Engine.RunAsync(request, progress, cancellationToken), CancellationToken.None);
        EngineOutput output;
        try
        {
            output = await engineCall.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!engineCall.IsCompleted)
        {
            _ = ReportAbandonedAsync(engineCall, plan.Engine.Name, job.Id);
            throw;
        }


        var engineMs = clock.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();
        CheckOutput(plan, area, output, scale);

        progress.Report(new EngineProgress(1, 1, "blending"));
        Raster? layer = null;
        SelectionMask? mask = null;
        LayerInRegion? layerRegion = null;
        RegionSlice? maskRegion = null;
        if (output.Mask is null && scale == 1 && area.ComposesWhole && plan.ResultRegion is { } place && regions is not null)
        {
            // An unscaled whole-layer answer goes straight into the result's region: no layer-sized array
            // for the result, no second copy (a 16-bit layer is widened into the mapping from the
            // daemon's snapshot; the mapping is only written). Its preview is the composed layer's: that
            // narrows back to the answer exactly.
            job.Publish(new JobUpdate.Preview(Previews.Of(new Raster(area.Context, PixelFormat.Rgba8, output.Image.Pixels))));
            layerRegion = await Task.Run(() => ComposeIntoRegion(place, area, output.Image.Pixels), cancellationToken);
            // the region went or is too small: the request's other way
            layer = layerRegion is null ? area.Compose(output.Image.Pixels) : null;
        }
        else
        {
            // an engine that answers a selection (segment) leaves the layer as it was (api.md)
            layer = output.Mask is not null ? area.Unchanged() : await Task.Run(() => area.ComposeScaled(output.Image.Pixels, scale), cancellationToken);
            job.Publish(new JobUpdate.Preview(Previews.Of(layer)));
            mask = output.Mask is { } found ? area.ComposeMask(found.Coverage) : null;
            (layerRegion, maskRegion) = WriteToRegion(plan.ResultRegion, layer, mask?.Coverage);
        }

        // The layer's snapshot is used by nothing now: the engine call returned, the result is in the
        // region and the wire only names it. The region's next job copies its input into it.
        if (layerRegion is not null && plan.LayerRegionId is { } source)
            regions!.GiveBack(source, plan.Layer.Data);
        var layerBlob = layerRegion is null ? Deliver(layer!.Data, plan.Delivery) : null;
        var maskBlob = mask is null || maskRegion is not null ? null : Deliver(mask.Coverage, plan.Delivery);
        var provenance = Provenance(plan, output, queuedMs, engineMs, DateTimeOffset.UtcNow - job.Created) with
        {
            PixelsIn = plan.PixelsIn,
            PixelsOut = layerRegion is not null ? "shared-memory" : layerBlob is not null ? "blob" : "bytes",
        };
        return new JobResult(layerRegion is null ? layer : null, layerBlob, mask, maskBlob, provenance) { LayerRegion = layerRegion, MaskRegion = maskRegion };
    }

    // The result into the pixel region the request named, the layer first and a mask right after it,
    // each only if it fits (else it goes back the request's other way).
    private (LayerInRegion? Layer, RegionSlice? Mask) WriteToRegion(RegionSlice? place, Raster layer, byte[]? mask)
    {
        if (place is null || regions is null || !regions.TryWrite(place, 0, layer.Data))
            return (null, null);
        var layerAt = new LayerInRegion(layer.Bounds, layer.Format, place with { Length = layer.Data.LongLength });
        if (mask is null || !regions.TryWrite(place, layer.Data.LongLength, mask))
            return (layerAt, null);
        return (layerAt, new RegionSlice(place.Id, place.Offset + layer.Data.LongLength, mask.LongLength));
    }

    // The composed layer written straight into the region (checked to fit first); null: it does not fit or the region is gone.
    private LayerInRegion? ComposeIntoRegion(RegionSlice place, SelectionWorkArea area, byte[] answer)
    {
        long length = area.Context.Area * area.Layer.Format.BytesPerPixel();
        if (!regions!.TryWrite(place, 0, length, (area, answer), static (target, s) => s.area.ComposeInto(s.answer, target)))
            return null;
        return new LayerInRegion(area.Context, area.Layer.Format, place with { Length = length });
    }

    private async Task ReportAbandonedAsync(Task<EngineOutput> engineCall, string engine, string jobId)
    {
        var stopped = await Task.WhenAny(engineCall, Task.Delay(TimeSpan.FromSeconds(10))) == engineCall;
        if (!stopped)
            logger.LogWarning("engine {Engine} ignored the cancellation of job {Job}: the job ended, its engine call still runs in the background", engine, jobId);
        try
        {
            await engineCall;
        }
        catch (Exception)
        {
            // the job already ended; what the abandoned call threw no longer matters
        }
    }

    private static void CheckOutput(JobPlan plan, SelectionWorkArea area, EngineOutput output, int scale)
    {
        if (output?.Image is null)
            throw new InvalidOperationException($"engine '{plan.Engine.Name}' returned no image");
        if (output.Image.Width != area.WorkWidth * scale || output.Image.Height != area.WorkHeight * scale)
            throw new InvalidOperationException($"engine '{plan.Engine.Name}' returned {output.Image.Width}x{output.Image.Height} pixels for a {area.WorkWidth}x{area.WorkHeight} work area{(scale > 1 ? $" scaled {scale}×" : "")}");
        if (output.Mask is { } mask && (mask.Width != area.WorkWidth || mask.Height != area.WorkHeight))
            throw new InvalidOperationException($"engine '{plan.Engine.Name}' returned a {mask.Width}x{mask.Height} mask for a {area.WorkWidth}x{area.WorkHeight} work area");
    }

    // Canvas-aligned inputs are cut to the work area; free ones (references) are scaled to fit the engine.
    private static IReadOnlyDictionary<string, EngineImage> WorkInputs(OperationDescriptor operation, IReadOnlyDictionary<string, Raster>? inputs, SelectionWorkArea area)
    {
        var work = new Dictionary<string, EngineImage>(StringComparer.Ordinal);
        foreach (var (name, raster) in inputs ?? new Dictionary<string, Raster>())
        {
            var declared = operation.DeclaredInputs.First(i => i.Name == name);
            if (declared.CanvasAligned)
            {
                work[name] = new EngineImage(area.WorkWidth, area.WorkHeight, area.WorkInput(raster));
                continue;
            }

            var (w, h) = WorkScale.Fit(raster.Bounds.Width, raster.Bounds.Height, operation.MaxWorkingSide, 1);
            var rgba8 = raster.Format == PixelFormat.Rgba8 ? raster.Data : raster.ToRgba8();
            work[name] = new EngineImage(w, h, Resampler.ResizeRgba8(rgba8, raster.Bounds.Width, raster.Bounds.Height, w, h));
        }

        return work;
    }

    // Engines name their own parameters; "layer", "mask", "model", the prompts and "inputs.*" are request fields already.
    private static string RequestField(string engineField) =>
        engineField is "layer" or "mask" or "model" or "prompt" or "negative_prompt" || engineField.StartsWith("inputs.", StringComparison.Ordinal) ? engineField : $"parameters.{engineField}";

    private JobProvenance Provenance(JobPlan plan, EngineOutput output, double queuedMs, double engineMs, TimeSpan total) => new(
        plan.Operation,
        plan.Engine.Name,
        plan.Engine.Descriptor.Version,
        output.ModelHash ?? "",
        output.ModelName ?? "",
        plan.Seed,
        Resolved(plan.Parameters, output.ResolvedParameters),
        plan.Geometry,
        output.Device ?? plan.Engine.Device,
        queuedMs,
        engineMs,
        total.TotalMilliseconds)
    {
        Variant = output.ModelName is { Length: > 0 } name ? models?.Find(name)?.Manifest.Variant : null,
        Controls = output.Controls ?? [],
    };

    private static IReadOnlyDictionary<string, object> Resolved(IReadOnlyDictionary<string, object> asked, IReadOnlyDictionary<string, object>? resolved)
    {
        if (resolved is null)
            return asked;
        var merged = new Dictionary<string, object>(asked);
        foreach (var (name, value) in resolved.Where(r => asked.ContainsKey(r.Key)))
            merged[name] = value;
        return merged;
    }
}
