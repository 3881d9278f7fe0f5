using EditorBridge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>Runs one job for captured input and settings, and turns the daemon's answer into a cacheable <see cref="JobOutcome"/>.</summary>
public static class JobRunner
{
    public static JobRequest BuildRequest(JobInput input, JobSettings settings, string clientLabel = "Paint.NET", IReadOnlyDictionary<string, BgraImage>? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        var request = new JobRequest
        {
            Operation = settings.Operation,
            Layer = WirePixels.ToWire(input.Layer),
            Engine = settings.Engine,
            Model = settings.Model,
            Prompt = settings.Prompt,
            NegativePrompt = settings.NegativePrompt,
            Parameters = ToStruct(settings.Parameters),
            ResultDelivery = ResultDelivery.Inline,
            ClientLabel = clientLabel,
            Geometry = Geometry(settings),
        };
        if (input.Mask is { } mask)
            request.Mask = WirePixels.ToWire(mask);
        if (settings.Seed is { } seed)
            request.Seed = seed;
        foreach (var (name, picture) in pictures ?? new Dictionary<string, BgraImage>())
            request.Inputs[name] = WirePixels.ToWire(picture);
        return request;
    }

    /// <summary>The geometry a job of <paramref name="settings"/> names (the same for its request and its context query).</summary>
    public static GeometryOptions Geometry(JobSettings settings)
    {
        var geometry = new GeometryOptions { GrowPixels = Math.Max(0, settings.GrowPixels) };
        if (settings.FeatherPixels is { } feather)
            geometry.FeatherPixels = feather;
        return geometry;
    }

    /// <summary>Sends the job and waits for its result. Progress and previews go to <paramref name="events"/>.</summary>
    public static async Task<JobOutcome> RunAsync(IDaemonGateway gateway, JobInput input, JobSettings settings, IProgress<JobEvent> events, CancellationToken cancellationToken,
                                                  IReadOnlyDictionary<string, BgraImage>? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var request = await Task.Run(() => BuildRequest(input, settings, pictures: pictures), cancellationToken).ConfigureAwait(false);
        var result = await gateway.RunJobAsync(request, events, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => ToOutcome(input, result), cancellationToken).ConfigureAwait(false);
    }

    public static JobOutcome ToOutcome(JobInput input, JobResult result)
    {
        if (result.Layer is null)
            throw new EditorBridgeProblem(ProblemKind.JobFailed, "EditorBridge answered without a result layer.");
        BgraImage layer;
        try
        {
            layer = WirePixels.FromWire(result.Layer);
        }
        catch (InvalidDataException e)
        {
            throw new EditorBridgeProblem(ProblemKind.JobFailed, $"EditorBridge's answer could not be used: {e.Message}", e);
        }

        if (!input.Layer.Bounds.Contains(layer.Bounds))
            throw new EditorBridgeProblem(ProblemKind.JobFailed, $"EditorBridge's result ({layer.Bounds}) lies outside the pixels sent ({input.Layer.Bounds}).");
        var p = result.Provenance;
        return new JobOutcome(input.CanvasWidth, input.CanvasHeight, layer, input.Mask, p?.Engine ?? "", p?.Device ?? "", p?.Seed ?? 0, p?.Timings?.TotalMs ?? 0)
        {
            Model = p?.Model ?? "",
            PixelsPath = p?.Timings is { } t ? $"{t.PixelsIn} / {t.PixelsOut}" : "",
        };
    }

    public static Struct ToStruct(IEnumerable<KeyValuePair<string, object>> parameters)
    {
        var result = new Struct();
        foreach (var (name, value) in parameters)
        {
            result.Fields[name] = value switch
            {
                double d => Value.ForNumber(d),
                int i => Value.ForNumber(i),
                bool b => Value.ForBool(b),
                string s => Value.ForString(s),
                _ => throw new ArgumentException($"parameter '{name}': {value?.GetType().Name ?? "null"} is not a number, flag or text"),
            };
        }

        return result;
    }
}
