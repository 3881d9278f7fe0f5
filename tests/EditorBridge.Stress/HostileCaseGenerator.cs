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
