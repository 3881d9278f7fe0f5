using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Jobs;
using EditorBridge.Daemon.Plugins;
using EditorBridge.Daemon.Wire;
using EditorBridge.Engines;
using EditorBridge.Imaging;
using Microsoft.Extensions.Options;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Services;

/// <summary>
/// Turns a wire JobRequest into a <see cref="JobPlan"/>, or refuses it with the precise status
/// and the field at fault. Nothing is queued before every field is checked.
/// </summary>
public sealed class JobRequestValidator(EngineCatalog catalog, BlobStore blobs, PixelRegions regions, IOptions<DaemonOptions> options)
{
    public const int MaxPromptLength = 4096;

    /// <summary>The one operation whose selection may reach past the layer (GeometryOptions.outpaint).</summary>
    public const string OutpaintOperation = "fill";

    /// <summary>Operations the contract defines, whether or not an installed engine offers them.</summary>
    public static readonly string[] KnownOperations = ["fill", "restore", "colorize", "stylize", "generate", "compose", "segment"];

    private readonly DaemonOptions settings = options.Value;

    public JobPlan Validate(Proto.JobRequest request)
    {
        var engine = ResolveEngine(request);
        var operation = engine.Operation(request.Operation)!;
        var layer = ReadLayer(request.Layer);
        var geometry = WireGeometry.Merge(settings.Geometry, request.Geometry);
        if (geometry.Validate() is { } bad)
            throw RequestException.Invalid($"geometry.{bad.Field}", bad.Message);
        if (geometry.Outpaint && request.Operation != OutpaintOperation)
        {
            if (request.Geometry is { HasOutpaint: true })
                throw RequestException.Invalid("geometry.outpaint", $"outpainting is for '{OutpaintOperation}', not '{Short(request.Operation)}'");
            geometry = geometry with { Outpaint = false };
        }

        var mask = request.Mask is null ? null : ReadMask(request.Mask, layer.Bounds, geometry.Outpaint);
        if (mask is null && operation.RequiresMask)
            throw RequestException.Invalid("mask", $"'{request.Operation}' needs a selection");
        var parameters = ParameterBinder.Bind(operation, request.Parameters);
        var canvas = CanvasParameters.Read(operation, parameters);
        CheckCanvasParameters(canvas, layer.Bounds);
        CheckOutputScale(request.Operation, canvas, layer.Bounds, mask is not null);
        var inputs = ReadInputs(request, operation, layer.Bounds);
        CheckText("prompt", request.Prompt);
        CheckText("negative_prompt", request.NegativePrompt);
        CheckText("client_label", request.ClientLabel);
        if (!Enum.IsDefined(request.ResultDelivery))
            throw RequestException.Invalid("result_delivery", $"unknown value {(int)request.ResultDelivery}");
        var resultRegion = ReadResultRegion(request.ResultRegion);
        var seed = request.HasSeed ? request.Seed : (ulong)Random.Shared.NextInt64(0, long.MaxValue);
        return new JobPlan(request.Operation, engine, layer, mask, parameters, seed, request.Prompt, request.NegativePrompt, geometry,
            request.ResultDelivery == Proto.ResultDelivery.Blob ? ResultDelivery.Blob : ResultDelivery.Inline, request.ClientLabel, inputs)
        {
            Canvas = canvas,
            Model = request.Model,
            ResultRegion = resultRegion,
            LayerRegionId = request.Layer.PixelsCase == Proto.Image.PixelsOneofCase.Region ? request.Layer.Region.RegionId : null,
            PixelsIn = PixelsIn(request),
        };
    }

    // Checked now (a live region, the place inside it); whether the result fits is known only at the end.
    private RegionSlice? ReadResultRegion(Proto.RegionRef? place)
    {
        if (place is null)
            return null;
        var slice = new RegionSlice(place.RegionId, place.Offset, place.Length);
        regions.CheckPlace(slice, "result_region");
        return slice;
    }

    private static string PixelsIn(Proto.JobRequest request) =>
        request.Layer?.PixelsCase == Proto.Image.PixelsOneofCase.Region ? "shared-memory"
        : request.Layer?.PixelsCase == Proto.Image.PixelsOneofCase.BlobId ? "blob"
        : "bytes";

    private LoadedEngine ResolveEngine(Proto.JobRequest request)
    {
        var name = request.Operation;
        if (string.IsNullOrEmpty(name))
            throw RequestException.Invalid("operation", $"missing; one of: {string.Join(", ", catalog.Operations)}");
        if (!string.IsNullOrEmpty(request.Engine) && !catalog.HasEngine(request.Engine))
            throw new RequestException(DaemonError.NotFound, "engine", $"'{Short(request.Engine)}' is not installed; installed: {string.Join(", ", catalog.Engines.Select(e => e.Name))}");
        if (!string.IsNullOrEmpty(request.Model))
            return ResolveModelEngine(request);
        var engine = catalog.Find(name, request.Engine);
        if (engine is not null)
            return engine;
        if (!KnownOperations.Contains(name) && !catalog.Operations.Contains(name))
            throw RequestException.Invalid("operation", $"unknown operation '{Short(name)}'; one of: {string.Join(", ", KnownOperations)}");
        var where = string.IsNullOrEmpty(request.Engine) ? "no installed engine offers" : $"engine '{request.Engine}' does not offer";
        throw new RequestException(DaemonError.Precondition, "operation", $"{where} '{name}'; offered: {string.Join(", ", catalog.Operations)}");
    }

    // A named model picks the engine that serves the operation with it (the request's engine, if given, must be that one).
    private LoadedEngine ResolveModelEngine(Proto.JobRequest request)
    {
        CheckText("model", request.Model);
        var engine = catalog.Find(request.Operation, request.Engine, request.Model);
        if (engine is not null)
            return engine;
        var offered = catalog.Engines
            .Where(e => string.IsNullOrEmpty(request.Engine) || string.Equals(e.Name, request.Engine, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Operation(request.Operation)?.Models ?? [])
            .Distinct()
            .ToList();
        var installed = offered.Count == 0 ? "no installed model serves it" : $"installed for it: {string.Join(", ", offered)}";
        throw new RequestException(DaemonError.NotFound, "model", $"model '{Short(request.Model)}' cannot serve '{request.Operation}'; {installed}");
    }

    private Raster ReadLayer(Proto.Image? image) => ReadImage("layer", image);

    private Raster ReadImage(string field, Proto.Image? image)
    {
        if (image is null)
            throw RequestException.Invalid(field, "missing");
        var format = image.Format switch
        {
            Proto.PixelFormat.Rgba8 => PixelFormat.Rgba8,
            Proto.PixelFormat.Rgba16 => PixelFormat.Rgba16,
            Proto.PixelFormat.Unspecified => throw RequestException.Invalid($"{field}.format", "missing; RGBA8 or RGBA16"),
            _ => throw RequestException.Invalid($"{field}.format", $"unknown format {(int)image.Format}; RGBA8 or RGBA16"),
        };
        var bounds = CheckBounds(field, image.Width, image.Height, image.OffsetX, image.OffsetY);
        var data = image.PixelsCase switch
        {
            Proto.Image.PixelsOneofCase.Data => image.Data.Memory,
            Proto.Image.PixelsOneofCase.BlobId => blobs.Get(image.BlobId, $"{field}.blob_id"),
            Proto.Image.PixelsOneofCase.Region => ReadRegion(image.Region, $"{field}.region", bounds.Area * format.BytesPerPixel()),
            _ => throw RequestException.Invalid($"{field}.data", "missing; send data, blob_id or region"),
        };
        long expected = bounds.Area * format.BytesPerPixel();
        if (data.Length != expected)
            throw RequestException.Invalid(image.PixelsCase switch
            {
                Proto.Image.PixelsOneofCase.Data => $"{field}.data",
                Proto.Image.PixelsOneofCase.Region => $"{field}.region",
                _ => $"{field}.blob_id",
            },
                $"{data.Length} bytes, expected {expected} ({bounds.Width}x{bounds.Height} {format.DisplayName()})");
        return new Raster(bounds, format, SharedBytes.ArrayOf(data));
    }

    // Extra pictures: only the ones the operation declares, each checked like the layer; canvas-aligned
    // ones must lie on the layer (the same rule as the selection).
    private Dictionary<string, Raster>? ReadInputs(Proto.JobRequest request, OperationDescriptor operation, PixelRect layer)
    {
        var declared = operation.DeclaredInputs;
        foreach (var input in declared.Where(i => i.Required && !request.Inputs.ContainsKey(i.Name)))
            throw RequestException.Invalid($"inputs.{input.Name}", $"missing; '{operation.Name}' needs it ({input.Description})");
        if (request.Inputs.Count == 0)
            return null;
        var inputs = new Dictionary<string, Raster>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (name, image) in request.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var field = $"inputs.{Short(name)}";
            var input = declared.FirstOrDefault(i => i.Name == name)
                ?? throw RequestException.Invalid(field, declared.Count == 0
                    ? $"'{operation.Name}' takes no extra pictures"
                    : $"unknown input for '{operation.Name}'; known: {string.Join(", ", declared.Select(i => i.Name))}");
            var raster = ReadImage(field, image);
            if (input.CanvasAligned && !layer.Contains(raster.Bounds))
                throw RequestException.Invalid(field, $"bounds {raster.Bounds} reach outside the layer {layer}; a {name} layer lies over the layer it goes with");
            total += raster.Bounds.Area;
            if (total > settings.Limits.MaxPixels * 2)
                throw new RequestException(DaemonError.OverLimit, field, $"the extra pictures hold {total} pixels together, over twice the limit of {settings.Limits.MaxPixels} (EditorBridge:Limits:MaxPixels)");
            inputs[name] = raster;
        }

        return inputs;
    }

    // Canvas coordinates (e.g. segment's click point) must lie on the layer; lengths must fit it.
    private static void CheckCanvasParameters(CanvasParameters canvas, PixelRect layer)
    {
        foreach (var p in canvas.Coordinates)
        {
            var (low, high, what) = p.Axis switch
            {
                CanvasAxis.X => ((double)layer.X, (double)layer.Right - 1, "a column of the layer"),
                CanvasAxis.Y => ((double)layer.Y, (double)layer.Bottom - 1, "a row of the layer"),
                CanvasAxis.Width => (0.0, (double)layer.Width, "a width within the layer"),
                _ => (0.0, (double)layer.Height, "a height within the layer"),
            };
            if (p.Value < low || p.Value > high)
                throw RequestException.Invalid($"parameters.{p.Name}", $"{p.Value} is not {what} {layer} (allowed {low}..{high}, canvas pixels)");
        }
    }

    // An upscaling operation answers a layer k times larger: whole layers only, within the size limits.
    private void CheckOutputScale(string name, CanvasParameters canvas, PixelRect layer, bool hasMask)
    {
        long k = canvas.OutputScale;
        if (k <= 1)
            return;
        var parameter = canvas.ScaleParameter;
        if (hasMask)
            throw RequestException.Invalid("mask", $"'{name}' with {parameter}={k} makes the whole layer {k}× larger; send it without a selection");
        var limits = settings.Limits;
        if (layer.Width * k > limits.MaxSide || layer.Height * k > limits.MaxSide || layer.Area * k * k > limits.MaxPixels)
            throw new RequestException(DaemonError.OverLimit, $"parameters.{parameter}",
                $"{layer.Width}x{layer.Height} × {k} = {layer.Width * k}x{layer.Height * k} is over the limits ({limits.MaxSide} pixels a side, {limits.MaxPixels} pixels; EditorBridge:Limits)");
    }

    private SelectionMask ReadMask(Proto.Mask mask, PixelRect layer, bool outpaint)
    {
        var bounds = CheckBounds("mask", mask.Width, mask.Height, mask.OffsetX, mask.OffsetY);
        if (!outpaint && !layer.Contains(bounds))
            throw RequestException.Invalid("mask", $"bounds {bounds} reach outside the layer {layer} (fill can outpaint: geometry.outpaint)");
        var coverage = mask.CoverageSourceCase switch
        {
            Proto.Mask.CoverageSourceOneofCase.Coverage => mask.Coverage.Memory,
            Proto.Mask.CoverageSourceOneofCase.BlobId => blobs.Get(mask.BlobId, "mask.blob_id"),
            Proto.Mask.CoverageSourceOneofCase.Region => ReadRegion(mask.Region, "mask.region", bounds.Area),
            _ => throw RequestException.Invalid("mask.coverage", "missing; send coverage, blob_id or region"),
        };
        if (coverage.Length != bounds.Area)
            throw RequestException.Invalid(mask.CoverageSourceCase switch
            {
                Proto.Mask.CoverageSourceOneofCase.Coverage => "mask.coverage",
                Proto.Mask.CoverageSourceOneofCase.Region => "mask.region",
                _ => "mask.blob_id",
            }, $"{coverage.Length} bytes, expected {bounds.Area} ({bounds.Width}x{bounds.Height}, one byte per pixel)");
        if (!coverage.Span.ContainsAnyExcept((byte)0))
            throw RequestException.Invalid("mask", "the selection is empty (every coverage byte is 0)");
        var selection = new SelectionMask(bounds, SharedBytes.ArrayOf(coverage));
        if (outpaint)
            CheckOutpaintCanvas(layer, selection.SelectedBounds());
        return selection;
    }

    // Outpainting grows the layer over the selection: it must touch the layer, and the grown layer stay within the limits.
    private void CheckOutpaintCanvas(PixelRect layer, PixelRect selected)
    {
        PixelRect grown;
        try
        {
            grown = ContextCrop.Canvas(layer, selected, outpaint: true);
        }
        catch (ArgumentException e)
        {
            throw RequestException.Invalid("mask", e.Message.Split(" (Parameter", 2)[0]);
        }

        var limits = settings.Limits;
        if (grown.Width > limits.MaxSide || grown.Height > limits.MaxSide || grown.Area > limits.MaxPixels)
            throw new RequestException(DaemonError.OverLimit, "mask",
                $"outpainting grows the layer {layer} to {grown}, over the limits ({limits.MaxSide} pixels a side, {limits.MaxPixels} pixels; EditorBridge:Limits)");
    }

    // The length is checked against what the header says before anything is copied out of the region.
    private byte[] ReadRegion(Proto.RegionRef place, string field, long expected)
    {
        if (place.Length != expected)
            throw RequestException.Invalid(field, $"length {place.Length}, expected {expected} bytes for the picture's size and format");
        return regions.Read(new RegionSlice(place.RegionId, place.Offset, place.Length), field);
    }

    private PixelRect CheckBounds(string field, int width, int height, int x, int y)
    {
        var limits = settings.Limits;
        if (width <= 0 || height <= 0)
            throw RequestException.Invalid($"{field}.{(width <= 0 ? "width" : "height")}", $"{(width <= 0 ? width : height)}; must be at least 1");
        if (width > limits.MaxSide || height > limits.MaxSide)
            throw new RequestException(DaemonError.OverLimit, $"{field}.{(width > limits.MaxSide ? "width" : "height")}",
                $"{Math.Max(width, height)} pixels is over the limit of {limits.MaxSide} (EditorBridge:Limits:MaxSide)");
        if ((long)width * height > limits.MaxPixels)
            throw new RequestException(DaemonError.OverLimit, field, $"{width}x{height} = {(long)width * height} pixels is over the limit of {limits.MaxPixels} (EditorBridge:Limits:MaxPixels)");
        const int Reach = 1 << 28;
        if (Math.Abs((long)x) > Reach || Math.Abs((long)y) > Reach)
            throw RequestException.Invalid($"{field}.offset_{(Math.Abs((long)x) > Reach ? "x" : "y")}", $"must be within ±{Reach}");
        return new PixelRect(x, y, width, height);
    }

    private static void CheckText(string field, string text)
    {
        if (text.Length > MaxPromptLength)
            throw RequestException.Invalid(field, $"{text.Length} characters, limit {MaxPromptLength}");
    }

    private static string Short(string s) => Quoted.Short(s);
}
