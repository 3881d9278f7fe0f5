using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// Makes hostile cases from a seed: case <c>i</c> of seed <c>s</c> is always the same request,
/// so any failure can be replayed alone. Job requests start from a small valid fill and get one
/// to three random or boundary changes; <see cref="ContractModel"/> says what the answer must be.
/// The other families send what a broken or hostile client sends: bytes that are not protobuf or
/// JSON, broken gRPC framing, wrong content types, missing or forged tokens, foreign Host and
/// Origin headers, malformed HTTP, other methods and routes with hostile ids.
/// </summary>
public sealed partial class HostileCaseGenerator
{
    private const string LayerBlob = "@layer-blob";
    private const string MaskBlob = "@mask-blob";
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    private readonly DaemonInfo info;
    private readonly int seed;
    private readonly (string Name, int Weight, Func<Random, int, HostileCase> Make)[] families;

    public HostileCaseGenerator(DaemonInfo info, int seed)
    {
        this.info = info;
        this.seed = seed;
        families =
        [
            ("job fields (gRPC)", 22, (r, i) => JobCase(r, i, json: false)),
            ("job fields (JSON)", 16, (r, i) => JobCase(r, i, json: true)),
            ("valid jobs", 6, ValidJobCase),
            ("JSON types", 8, JsonTypeCase),
            ("JSON syntax", 7, JsonSyntaxCase),
            ("gRPC wire", 12, GrpcWireCase),
            ("headers", 16, HeaderCase),
            ("content types", 4, ContentTypeCase),
            ("methods and routes", 6, MethodCase),
            ("malformed HTTP", 3, MalformedHttpCase),
        ];
    }

    public int Seed => seed;

    public long MaxRequestBytes => info.Limits.MaxRequestBytes;

    public IEnumerable<string> Families => families.Select(f => f.Name);

    /// <summary>Case <paramref name="index"/> of this seed.</summary>
    public HostileCase Generate(int index)
    {
        var r = new Random(unchecked(seed * 7919 + index * 104729));
        int total = families.Sum(f => f.Weight), pick = r.Next(total);
        foreach (var family in families)
        {
            if (pick < family.Weight)
                return family.Make(r, index) with { Family = family.Name };
            pick -= family.Weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    // ------------------------------------------------------------------------------------------
    // Job requests

    private OperationInfo Fill => info.Engines.SelectMany(e => e.Operations).First(o => o.Name == "fill");

    /// <summary>A small valid fill: layer, a soft selection inside it, a fast method, a seed.</summary>
    private static JobRequest BaseJob(Random r, bool large = false)
    {
        int w = large ? r.Next(1, 97) : r.Next(8, 49), h = large ? r.Next(1, 97) : r.Next(8, 49);
        var format = r.Chance(0.2) ? PixelFormat.Rgba16 : PixelFormat.Rgba8;
        int bpp = format == PixelFormat.Rgba16 ? 8 : 4;
        var pixels = new byte[w * h * bpp];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bpp; c++)
                    pixels[(y * w + x) * bpp + c] = (byte)(c % 4 == 3 && c >= bpp - 2 ? 255 : (x * 5 + y * 3 + c * 40 + r.Next(8)) & 0xFF);
        int mw = r.Next(1, Math.Max(2, w / 2)), mh = r.Next(1, Math.Max(2, h / 2));
        int mx = r.Next(0, w - mw + 1), my = r.Next(0, h - mh + 1);
        var coverage = new byte[mw * mh];
        for (int i = 0; i < coverage.Length; i++)
            coverage[i] = r.Chance(0.7) ? (byte)255 : (byte)r.Next(256);
        coverage[r.Next(coverage.Length)] = 255;
        long ox = r.Chance(0.2) ? r.Next(-(1 << 28) + 100, (1 << 28) - 100) : r.Next(-50, 50);
        long oy = r.Chance(0.2) ? r.Next(-(1 << 28) + 100, (1 << 28) - 100) : r.Next(-50, 50);
        return new JobRequest
        {
            Operation = "fill",
            Layer = new Image { Width = w, Height = h, Format = format, OffsetX = (int)ox, OffsetY = (int)oy, Data = ByteString.CopyFrom(pixels) },
            Mask = new Mask { Width = mw, Height = mh, OffsetX = (int)ox + mx, OffsetY = (int)oy + my, Coverage = ByteString.CopyFrom(coverage) },
            Parameters = new Struct { Fields = { ["method"] = Value.ForString(r.Pick("telea", "telea", "ns", "fsr", "auto", "exemplar")) } },
            Seed = (ulong)r.NextInt64(),
        };
    }

    private HostileCase JobCase(Random r, int index, bool json)
    {
        var request = BaseJob(r);
        bool blobs = json ? r.Chance(0.6) : r.Chance(0.1);
        var sentLayer = request.Layer.Data.ToByteArray();
        var sentCoverage = request.Mask.Coverage.ToByteArray();
        var known = new Dictionary<string, long>();
        if (blobs)
        {
            known[LayerBlob] = request.Layer.Data.Length;
            known[MaskBlob] = request.Mask.Coverage.Length;
            request.Layer.BlobId = LayerBlob;
            request.Mask.BlobId = MaskBlob;
        }

        int count = r.Chance(0.75) ? 1 : r.Next(2, 4);
        var changes = new List<string>();
        for (int i = 0; i < count; i++)
            changes.Add(Mutate(r, request));
        return Job(index, json, request, known, sentLayer, sentCoverage, string.Join("; ", changes));
    }

    private HostileCase ValidJobCase(Random r, int index)
    {
        var request = BaseJob(r, large: true);
        bool json = r.Chance(0.5);
        if (r.Chance(0.5))
        {
            request.Geometry = new GeometryOptions();
            if (r.Chance(0.5))
                request.Geometry.GrowPixels = r.Pick(0, 1, 4, 64, 256);
            if (r.Chance(0.5))
                request.Geometry.FeatherPixels = r.Pick(0, 1, 4, 64, 256);
            if (r.Chance(0.3))
                request.Geometry.ContextMarginPercent = r.Pick(0.0, 0.5, 400.0);
            if (r.Chance(0.3))
                request.Geometry.ContextMaxPixels = r.Pick(512, 8192);
        }

        if (r.Chance(0.3))
            request.ResultDelivery = ResultDelivery.Blob;
        if (r.Chance(0.3))
            request.Prompt = r.TextOfLength(r.Pick(0, 100, ContractModel.MaxText));
        if (r.Chance(0.2))
            request.ClearSeed();
        var sentLayer = request.Layer.Data.ToByteArray();
        var sentCoverage = request.Mask.Coverage.ToByteArray();
        return Job(index, json, request, new Dictionary<string, long>(), sentLayer, sentCoverage,
            $"{request.Layer.Width}x{request.Layer.Height} {request.Layer.Format} at ({request.Layer.OffsetX},{request.Layer.OffsetY}), {request.Parameters.Fields["method"].StringValue}");
    }

    /// <summary>One random or boundary change to a job request; returns what it did.</summary>
    private string Mutate(Random r, JobRequest q)
    {
        var limits = info.Limits;
        switch (r.Next(24))
        {
            case 0:
                q.Operation = r.Pick("", r.Text(), "FILL", "fill ", "generate", "segment", "restore", r.TextOfLength(100_000));
                return $"operation = '{Observed.Shorten(q.Operation, 30)}'";
            case 1:
                q.Engine = r.Pick(r.Text(r.Next(1, 40)), "CLASSIC", "faults", r.TextOfLength(5000));
                return $"engine = '{Observed.Shorten(q.Engine, 30)}'";
            case 2:
                q.Layer = null;
                return "no layer";
            case 3 or 4:
                if (q.Layer is null)
                    return "-";
                if (r.Chance(0.5))
                    q.Layer.Width = r.BoundaryInt(q.Layer.Width, limits.MaxSide);
                else
                    q.Layer.Height = r.BoundaryInt(q.Layer.Height, limits.MaxSide);
                return $"layer {q.Layer.Width}x{q.Layer.Height}";
            case 5:
                if (q.Layer is null)
                    return "-";
                q.Layer.Format = (PixelFormat)r.Pick(0, 1, 2, 3, 99, -1, int.MaxValue, int.MinValue);
                return $"layer.format = {(int)q.Layer.Format}";
            case 6:
                if (q.Layer is null)
                    return "-";
                int offset = r.Pick(int.MinValue, int.MaxValue, 1 << 28, -(1 << 28), (1 << 28) + 1, -(1 << 28) - 1, r.Next(-100, 100), r.Next());
                if (r.Chance(0.5))
                    q.Layer.OffsetX = offset;
                else
                    q.Layer.OffsetY = offset;
                return $"layer offset ({q.Layer.OffsetX},{q.Layer.OffsetY})";
            case 7:
                if (q.Layer is null)
                    return "-";
                return ChangeBytes(r, q.Layer.PixelsCase == Image.PixelsOneofCase.Data ? q.Layer.Data : null, b => q.Layer.Data = b, () => q.Layer.ClearPixels(), "layer.data");
            case 8:
                if (q.Layer is null)
                    return "-";
                q.Layer.BlobId = HostileId(r);
                return $"layer.blob_id = '{Observed.Shorten(q.Layer.BlobId, 30)}'";
            case 9:
                q.Mask = null;
                return "no mask";
            case 10 or 11:
                if (q.Mask is null)
                    return "-";
                if (r.Chance(0.5))
                    q.Mask.Width = r.BoundaryInt(q.Mask.Width, limits.MaxSide);
                else
                    q.Mask.Height = r.BoundaryInt(q.Mask.Height, limits.MaxSide);
                return $"mask {q.Mask.Width}x{q.Mask.Height}";
            case 12:
                if (q.Mask is null)
                    return "-";
                int layerX = q.Layer?.OffsetX ?? 0;
                int at = r.Pick(int.MinValue, int.MaxValue, (1 << 28) + 1, layerX - 1, layerX, layerX + (q.Layer?.Width ?? 0), r.Next(-100, 100));
                if (r.Chance(0.5))
                    q.Mask.OffsetX = at;
                else
                    q.Mask.OffsetY = at;
                return $"mask offset ({q.Mask.OffsetX},{q.Mask.OffsetY})";
            case 13:
                if (q.Mask is null)
                    return "-";
                if (r.Chance(0.25) && q.Mask.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage)
                {
                    q.Mask.Coverage = ByteString.CopyFrom(new byte[q.Mask.Coverage.Length]);
                    return "empty selection";
                }

                return ChangeBytes(r, q.Mask.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage ? q.Mask.Coverage : null, b => q.Mask.Coverage = b, () => q.Mask.ClearCoverageSource(), "mask.coverage");
            case 14:
                if (q.Mask is null)
                    return "-";
                q.Mask.BlobId = HostileId(r);
                return $"mask.blob_id = '{Observed.Shorten(q.Mask.BlobId, 30)}'";
            case 15 or 16:
            {
                var p = r.Pick([.. Fill.Parameters]);
                q.Parameters ??= new Struct();
                q.Parameters.Fields[p.Name] = HostileValue(r, p);
                return $"parameters.{p.Name} = {Describe(q.Parameters.Fields[p.Name])}";
            }

            case 17:
            {
                var name = r.Pick(r.Text(r.Next(1, 40)), r.TextOfLength(5000), "", "method ", "Method", "radius\u0000");
                q.Parameters ??= new Struct();
                q.Parameters.Fields[name] = Value.ForNumber(1);
                return $"unknown parameter '{Observed.Shorten(name, 30)}'";
            }

            case 18:
                if (r.Chance(0.3))
                    q.ClearSeed();
                else
                    q.Seed = r.Pick(0UL, ulong.MaxValue, (ulong)r.NextInt64());
                return "seed changed";
            case 19:
            {
                var text = r.Chance(0.7) ? r.TextOfLength(r.Pick(0, 4095, 4096, 4097, r.Next(0, 10_000), 100_000, r.Chance(0.1) ? 1_000_000 : 10)) : r.Text();
                switch (r.Next(3))
                {
                    case 0: q.Prompt = text; return $"prompt of {text.Length} units";
                    case 1: q.NegativePrompt = text; return $"negative_prompt of {text.Length} units";
                    default: q.ClientLabel = text; return $"client_label of {text.Length} units";
                }
            }

            case 20:
            {
                q.Geometry ??= new GeometryOptions();
                var d = info.GeometryDefaults;
                switch (r.Next(5))
                {
                    case 0: q.Geometry.ContextMarginPercent = r.BoundaryDouble(0, 400); break;
                    case 1: q.Geometry.ContextMinPixels = r.BoundaryInt(d.ContextMinPixels, 4096); break;
                    case 2: q.Geometry.ContextMaxPixels = r.BoundaryInt(d.ContextMaxPixels, 8192); break;
                    case 3: q.Geometry.GrowPixels = r.BoundaryInt(d.GrowPixels, 256); break;
                    default: q.Geometry.FeatherPixels = r.BoundaryInt(d.FeatherPixels, 256); break;
                }

                return $"geometry {q.Geometry}";
            }

            case 21:
                q.ResultDelivery = (ResultDelivery)r.Pick(0, 1, 2, 3, -1, 99, int.MaxValue);
                return $"result_delivery = {(int)q.ResultDelivery}";
            case 22:
                q.Parameters ??= new Struct();
                q.Parameters.Fields["method"] = Value.ForString(r.Pick("telea", "ns", "fsr", "exemplar", "auto"));
                return $"method {q.Parameters.Fields["method"].StringValue}";
            default:
                if (q.Layer is null || q.Layer.PixelsCase != Image.PixelsOneofCase.Data)
                    return "-";
                q.Layer.Data = ByteString.CopyFrom(r.Bytes(q.Layer.Data.Length));
                return "random layer pixels";
        }
    }

    private static string ChangeBytes(Random r, ByteString? current, Action<ByteString> set, Action clear, string field)
    {
        int length = current?.Length ?? 0;
        switch (r.Next(5))
        {
            case 0:
                clear();
                return $"{field} missing";
            case 1:
                set(ByteString.Empty);
                return $"{field} empty";
            case 2:
                int cut = Math.Max(1, r.Pick(1, r.Next(1, Math.Max(2, length))));
                set(ByteString.CopyFrom(new byte[Math.Max(0, length - cut)]));
                return $"{field} {cut} bytes short";
            default:
                int extra = r.Pick(1, 3, r.Next(1, 1000), 1 << 20);
                var bytes = new byte[length + extra];
                current?.Span.CopyTo(bytes);
                bytes[^1] = 255;
                set(ByteString.CopyFrom(bytes));
                return $"{field} {extra} bytes long";
        }
    }

    private static string HostileId(Random r) =>
        r.Pick("", r.Text(r.Next(1, 40)), "blob-" + Convert.ToHexStringLower(r.Bytes(12)), "../../etc/passwd", "blob-%00", r.TextOfLength(10_000));

    private static Value HostileValue(Random r, ParameterInfo p) => r.Next(8) switch
    {
        0 or 1 => Value.ForNumber(r.BoundaryDouble(p.HasMinimum ? p.Minimum : 0, p.HasMaximum ? p.Maximum : 100)),
        2 => Value.ForNumber(Math.Round((p.HasMinimum ? p.Minimum : 0) + r.NextDouble() * ((p.HasMaximum ? p.Maximum : 100) - (p.HasMinimum ? p.Minimum : 0)))),
        3 => Value.ForString(p.Choices.Count > 0 && r.Chance(0.6) ? r.Pick(p.Choices[r.Next(p.Choices.Count)], p.Choices[0].ToUpperInvariant(), p.Choices[0] + " ") : r.Text()),
        4 => Value.ForBool(r.Chance(0.5)),
        5 => Value.ForNull(),
        6 => Value.ForList(Value.ForNumber(1), Value.ForString("x")),
        _ => Value.ForStruct(new Struct { Fields = { ["a"] = Value.ForNumber(1) } }),
    };

    private static string Describe(Value v) => v.KindCase switch
    {
        Value.KindOneofCase.NumberValue => v.NumberValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Value.KindOneofCase.StringValue => $"'{Observed.Shorten(v.StringValue, 20)}'",
        _ => v.KindCase.ToString(),
    };

    /// <summary>A job case: sent through the .NET client or as JSON, checked against the model and, when it succeeds, the pixels.</summary>
    private HostileCase Job(int index, bool json, JobRequest request, Dictionary<string, long> known, byte[] sentLayer, byte[] sentCoverage, string description)
    {
        var expected = new ContractModel(info, known).Expect(request);
        long size = json ? Encoding.UTF8.GetByteCount(FormatJson(request)) : request.CalculateSize() + 5;
        if (size > MaxRequestBytes)
            expected = Expectation.Refused(StatusCode.ResourceExhausted, json ? "request body" : "request");
        return new HostileCase(index, "", json ? "JSON" : "gRPC", description, expected, async (target, ct) =>
        {
            var sent = request.Clone();
            if (sent.Layer?.BlobId == LayerBlob)
                sent.Layer.BlobId = await target.PutBlobAsync(sentLayer, json, ct);
            if (sent.Mask?.BlobId == MaskBlob)
                sent.Mask.BlobId = await target.PutBlobAsync(sentCoverage, json, ct);
            return json
                ? await target.JsonAsync(HttpMethod.Post, "/v1/jobs", Encoding.UTF8.GetBytes(FormatJson(sent)), cancellationToken: ct)
                : await target.RunJobAsync(sent, ct);
        })
        {
            Verify = (target, observed) => VerifyAsync(target, observed, request, sentLayer, sentCoverage),
        };
    }

    private async Task<string?> VerifyAsync(HostileTarget target, Observed observed, JobRequest request, byte[] sentLayer, byte[] sentCoverage)
    {
        var result = observed.Answer switch
        {
            JobResult r => r,
            JsonNode node => JsonParser.Default.Parse<JobEvent>(node.ToJsonString()).Result,
            _ => null,
        };
        if (result?.Layer is null)
            return "the answer carries no result layer";
        var pixels = result.Layer.PixelsCase == Image.PixelsOneofCase.BlobId
            ? await target.GetBlobAsync(result.Layer.BlobId, observed.Answer is JsonNode)
            : result.Layer.Data.ToByteArray();
        var layerBytes = request.Layer.PixelsCase == Image.PixelsOneofCase.Data ? request.Layer.Data.ToByteArray() : sentLayer;
        var coverage = request.Mask?.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage ? request.Mask.Coverage.ToByteArray() : sentCoverage;
        int grow = request.Geometry?.HasGrowPixels == true ? request.Geometry.GrowPixels : info.GeometryDefaults.GrowPixels;
        return PixelCheck.OutsideSelection(request.Layer, layerBytes, request.Mask, request.Mask is null ? null : coverage, grow, result.Layer, pixels);
    }

    /// <summary>The JSON form of a request (non-finite numbers in parameters become strings: JSON has no NaN).</summary>
    public static string FormatJson(JobRequest request)
    {
        if (request.Parameters is { } parameters && parameters.Fields.Values.Any(v => v.KindCase == Value.KindOneofCase.NumberValue && !double.IsFinite(v.NumberValue)))
        {
            request = request.Clone();
            foreach (var key in request.Parameters.Fields.Keys.ToList())
            {
                var v = request.Parameters.Fields[key];
                if (v.KindCase == Value.KindOneofCase.NumberValue && !double.IsFinite(v.NumberValue))
                    request.Parameters.Fields[key] = Value.ForString(v.NumberValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // JsonFormatter refuses an empty parameter name, which JSON itself allows: add it by hand
        if (request.Parameters?.Fields.TryGetValue("", out var unnamed) == true)
        {
            request = request.Clone();
            request.Parameters.Fields.Remove("");
            var node = JsonNode.Parse(Json.Format(request))!.AsObject();
            node["parameters"] ??= new JsonObject();
            node["parameters"]![""] = JsonNode.Parse(Json.Format(unnamed));
            return node.ToJsonString();
        }

        return Json.Format(request);
    }
}
