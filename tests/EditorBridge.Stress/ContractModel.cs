using EditorBridge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// The oracle: what the contract (the proto's comments, GetInfo's limits, parameters and
/// defaults) says the daemon must answer to a job request. It lists every rule the request breaks
/// and accepts a refusal naming any of them, so it does not depend on the order in which the
/// daemon happens to check; a request that breaks none must succeed.
/// </summary>
public sealed class ContractModel(DaemonInfo info, IReadOnlyDictionary<string, long> blobs)
{
    public const int MaxText = 4096;
    public const long Reach = 1 << 28;

    public static readonly string[] KnownOperations = ["fill", "restore", "colorize", "stylize", "generate", "compose", "segment"];

    public Expectation Expect(JobRequest r)
    {
        var broken = new List<Expectation>();
        void Invalid(string field) => broken.Add(Expectation.Invalid(field));

        // operation and engine
        var offered = info.Engines.SelectMany(e => e.Operations.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var engine = string.IsNullOrEmpty(r.Engine) ? null : info.Engines.FirstOrDefault(e => string.Equals(e.Name, r.Engine, StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrEmpty(r.Engine) && engine is null)
            broken.Add(Expectation.Refused(StatusCode.NotFound, "engine"));
        var candidates = engine is null ? info.Engines.ToList() : [engine];
        var operation = candidates.SelectMany(e => e.Operations).FirstOrDefault(o => o.Name == r.Operation);
        if (r.Operation.Length == 0)
            Invalid("operation");
        else if (operation is null && (engine is not null || string.IsNullOrEmpty(r.Engine)))
            broken.Add(KnownOperations.Contains(r.Operation) || offered.Contains(r.Operation)
                ? Expectation.Refused(StatusCode.FailedPrecondition, "operation")
                : Expectation.Invalid("operation"));

        // layer
        long layerX = 0, layerY = 0, layerW = 0, layerH = 0;
        bool layerKnown = false;
        if (r.Layer is null)
        {
            Invalid("layer");
        }
        else
        {
            var l = r.Layer;
            int bpp = l.Format switch { PixelFormat.Rgba8 => 4, PixelFormat.Rgba16 => 8, _ => 0 };
            if (bpp == 0)
                Invalid("layer.format");
            var boundsBroken = Bounds(broken, "layer", l.Width, l.Height, l.OffsetX, l.OffsetY);
            (layerX, layerY, layerW, layerH, layerKnown) = (l.OffsetX, l.OffsetY, l.Width, l.Height, !boundsBroken);
            Pixels(broken, "layer", l.PixelsCase == Image.PixelsOneofCase.Data ? l.Data.Length : null, l.PixelsCase == Image.PixelsOneofCase.BlobId ? l.BlobId : null,
                bpp == 0 || boundsBroken ? null : (long)l.Width * l.Height * bpp, "data");
        }

        // mask
        if (r.Mask is null)
        {
            if (operation?.RequiresMask == true)
                Invalid("mask");
        }
        else
        {
            var m = r.Mask;
            var boundsBroken = Bounds(broken, "mask", m.Width, m.Height, m.OffsetX, m.OffsetY);
            if (!boundsBroken && layerKnown
                && (m.OffsetX < layerX || m.OffsetY < layerY || m.OffsetX + (long)m.Width > layerX + layerW || m.OffsetY + (long)m.Height > layerY + layerH))
                Invalid("mask");
            var expected = boundsBroken ? (long?)null : (long)m.Width * m.Height;
            Pixels(broken, "mask", m.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage ? m.Coverage.Length : null,
                m.CoverageSourceCase == Mask.CoverageSourceOneofCase.BlobId ? m.BlobId : null, expected, "coverage");
            if (m.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage && m.Coverage.Length == expected && !m.Coverage.Span.ContainsAnyExcept((byte)0))
                Invalid("mask");
        }

        // parameters
        if (operation is not null)
        {
            foreach (var (name, value) in r.Parameters?.Fields ?? [])
            {
                var declared = operation.Parameters.FirstOrDefault(p => p.Name == name);
                if (declared is null || !Accepts(declared, value))
                    Invalid("parameters." + Prefix(name));
            }
        }

        // geometry, merged with the defaults GetInfo states
        var d = info.GeometryDefaults;
        var g = r.Geometry ?? new GeometryOptions();
        double margin = g.HasContextMarginPercent ? g.ContextMarginPercent : d.ContextMarginPercent;
        long min = g.HasContextMinPixels ? g.ContextMinPixels : d.ContextMinPixels;
        long max = g.HasContextMaxPixels ? g.ContextMaxPixels : d.ContextMaxPixels;
        long grow = g.HasGrowPixels ? g.GrowPixels : d.GrowPixels;
        long feather = g.HasFeatherPixels ? g.FeatherPixels : d.FeatherPixels;
        if (!double.IsFinite(margin) || margin < 0 || margin > 400)
            Invalid("geometry.context_margin_percent");
        if (min is < 0 or > 4096)
            Invalid("geometry.context_min_pixels");
        if (max < min || max > 8192)
            Invalid("geometry.context_max_pixels");
        if (grow is < 0 or > 256)
            Invalid("geometry.grow_pixels");
        if (feather is < 0 or > 256)
            Invalid("geometry.feather_pixels");

        foreach (var (field, text) in new[] { ("prompt", r.Prompt), ("negative_prompt", r.NegativePrompt), ("client_label", r.ClientLabel) })
        {
            if (text.Length > MaxText)
                Invalid(field);
        }

        if (!System.Enum.IsDefined(r.ResultDelivery))
            Invalid("result_delivery");

        if (broken.Count > 0)
            return Expectation.Any([.. broken]);
        // The classic fill refuses a selection that leaves no pixel of the work area to fill from
        // (any method), and fsr refuses holes over 128x128 px; the model cannot tell the work area
        // the daemon cuts, so it accepts those refusals.
        if (r.Operation != "fill")
            return Expectation.Ok;
        var method = r.Parameters?.Fields.GetValueOrDefault("method")?.StringValue ?? operation?.Parameters.FirstOrDefault(p => p.Name == "method")?.DefaultValue?.StringValue;
        var fill = Expectation.Ok.Or(Expectation.Invalid("mask"));
        return method == "fsr" ? fill.Or(Expectation.Invalid("parameters.method")) : fill;
    }

    /// <summary>The first characters of a (possibly huge) name: refusals may shorten what they quote.</summary>
    public static string Prefix(string name) =>
        name.Length <= 16 ? name : char.IsHighSurrogate(name[15]) ? name[..15] : name[..16];

    private bool Bounds(List<Expectation> broken, string field, long w, long h, long x, long y)
    {
        var limits = info.Limits;
        int before = broken.Count;
        if (w <= 0)
            broken.Add(Expectation.Invalid($"{field}.width"));
        if (h <= 0)
            broken.Add(Expectation.Invalid($"{field}.height"));
        if (w > limits.MaxSide)
            broken.Add(Expectation.Refused(StatusCode.ResourceExhausted, $"{field}.width"));
        if (h > limits.MaxSide)
            broken.Add(Expectation.Refused(StatusCode.ResourceExhausted, $"{field}.height"));
        if (w > 0 && h > 0 && w * h > limits.MaxPixels)
            broken.Add(Expectation.Refused(StatusCode.ResourceExhausted, field));
        if (Math.Abs(x) > Reach)
            broken.Add(Expectation.Invalid($"{field}.offset_x"));
        if (Math.Abs(y) > Reach)
            broken.Add(Expectation.Invalid($"{field}.offset_y"));
        return broken.Count > before;
    }

    private void Pixels(List<Expectation> broken, string field, int? inlineLength, string? blobId, long? expected, string inlineName)
    {
        if (inlineLength is null && blobId is null)
        {
            broken.Add(Expectation.Invalid($"{field}.{inlineName}"));
            return;
        }

        long length;
        string at;
        if (blobId is not null)
        {
            at = $"{field}.blob_id";
            if (blobId.Length == 0)
            {
                broken.Add(Expectation.Invalid(at));
                return;
            }

            if (!blobs.TryGetValue(blobId, out length))
            {
                broken.Add(Expectation.Refused(StatusCode.NotFound, at));
                return;
            }
        }
        else
        {
            at = $"{field}.{inlineName}";
            length = inlineLength!.Value;
        }

        if (expected is { } e && e != length)
            broken.Add(Expectation.Invalid(at));
    }

    private static bool Accepts(ParameterInfo p, Value v)
    {
        switch (p.Kind)
        {
            case ParameterKind.Number:
            case ParameterKind.Integer:
                if (v.KindCase != Value.KindOneofCase.NumberValue)
                    return false;
                double n = v.NumberValue;
                if (!double.IsFinite(n) || (p.Kind == ParameterKind.Integer && n != Math.Floor(n)))
                    return false;
                return (!p.HasMinimum || n >= p.Minimum) && (!p.HasMaximum || n <= p.Maximum);
            case ParameterKind.Boolean:
                return v.KindCase == Value.KindOneofCase.BoolValue;
            case ParameterKind.Choice:
                return v.KindCase == Value.KindOneofCase.StringValue && p.Choices.Contains(v.StringValue);
            default:
                return v.KindCase == Value.KindOneofCase.StringValue && v.StringValue.Length <= MaxText;
        }
    }
}
