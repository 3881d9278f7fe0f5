using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>The families below the job fields: JSON types and syntax, gRPC framing, headers, routes, HTTP itself.</summary>
public sealed partial class HostileCaseGenerator
{
    private static readonly Dictionary<string, string?> NoHeaders = new();

    private enum JsonKind { Text, Int32, UInt64, Double, Enum, Bytes, Message, Struct }

    private static readonly (string Path, JsonKind Kind)[] JsonFields =
    [
        ("operation", JsonKind.Text), ("engine", JsonKind.Text), ("prompt", JsonKind.Text), ("negative_prompt", JsonKind.Text), ("client_label", JsonKind.Text),
        ("layer", JsonKind.Message), ("layer.width", JsonKind.Int32), ("layer.height", JsonKind.Int32), ("layer.offset_x", JsonKind.Int32), ("layer.offset_y", JsonKind.Int32),
        ("layer.format", JsonKind.Enum), ("layer.data", JsonKind.Bytes), ("mask", JsonKind.Message), ("mask.width", JsonKind.Int32), ("mask.offset_y", JsonKind.Int32),
        ("mask.coverage", JsonKind.Bytes), ("parameters", JsonKind.Struct), ("seed", JsonKind.UInt64), ("geometry", JsonKind.Message),
        ("geometry.context_margin_percent", JsonKind.Double), ("geometry.grow_pixels", JsonKind.Int32), ("result_delivery", JsonKind.Enum),
    ];

    private static string[] WrongJson(JsonKind kind) => kind switch
    {
        JsonKind.Text => ["1", "true", "{}", "[]", "1.5"],
        JsonKind.Int32 => ["\"abc\"", "1.5", "1e20", "true", "{}", "[]", "\"1.5\"", "2147483648", "-2147483649"],
        JsonKind.UInt64 => ["\"-1\"", "-1", "\"18446744073709551616\"", "\"abc\"", "1.5", "true", "{}"],
        JsonKind.Double => ["\"abc\"", "true", "{}", "[]", "\"1,5\""],
        JsonKind.Enum => ["\"PIXEL_FORMAT_CMYK\"", "\"abc\"", "1.5", "true", "{}", "[]"],
        JsonKind.Bytes => ["\"!!!\"", "\"a\"", "1", "true", "{}", "[]"],
        _ => ["\"abc\"", "1", "true", "[]"],
    };

    private HostileCase JsonTypeCase(Random r, int index)
    {
        var request = BaseJob(r);
        var (path, kind) = r.Pick(JsonFields);
        var wrong = r.Pick(WrongJson(kind));
        var root = JsonNode.Parse(FormatJson(request))!.AsObject();
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            var name = Expectation.JsonName(part);
            parent[name] ??= new JsonObject();
            parent = parent[name]!.AsObject();
        }
        parent[Expectation.JsonName(parts[^1])] = JsonNode.Parse(wrong);
        var body = Encoding.UTF8.GetBytes(root.ToJsonString());
        return new HostileCase(index, "", "JSON", $"{Expectation.JsonName(path)} = {wrong}", Expectation.Invalid(path),
            (target, ct) => target.JsonAsync(HttpMethod.Post, "/v1/jobs", body, cancellationToken: ct));
    }

    private HostileCase JsonSyntaxCase(Random r, int index)
    {
        var request = BaseJob(r);
        var json = FormatJson(request);
        var model = new ContractModel(info, new Dictionary<string, long>());
        var syntax = Expectation.Invalid("request body");
        string what;
        byte[] body;
        var expected = syntax;
        switch (r.Next(12))
        {
            case 0:
                int cut = r.Next(1, json.Length);
                body = Encoding.UTF8.GetBytes(json[..cut]);
                what = $"cut after {cut} of {json.Length} characters";
                break;
            case 1:
                body = r.Bytes(r.Next(1, 500));
                what = $"{body.Length} random bytes";
                break;
            case 2:
            {
                var field = r.Pick("operation", "prompt", "clientLabel");
                var marked = JsonNode.Parse(json)!.AsObject();
                marked[field] = "fi@@BAD@@ll";
                var text = Encoding.UTF8.GetBytes(marked.ToJsonString());
                int at = text.AsSpan().IndexOf("@@BAD@@"u8);
                body = [.. text[..at], .. r.InvalidUtf8(), .. text[(at + 7)..]];
                what = $"invalid UTF-8 in {field}";
                break;
            }

            case 3:
            {
                int depth = r.Pick(65, 200, 5000);
                var nested = new StringBuilder();
                for (int i = 0; i < depth; i++)
                    nested.Append("{\"a\":");
                nested.Append('1').Append('}', depth);
                body = Encoding.UTF8.GetBytes(json.Replace("\"parameters\": {", $"\"parameters\": {{ \"deep\": {nested}, ", StringComparison.Ordinal));
                what = $"parameters nested {depth} deep";
                expected = syntax.Or(Expectation.Invalid("parameters.deep"));
                break;
            }

            case 4:
                body = Encoding.UTF8.GetBytes(r.Pick("[]", "\"fill\"", "1", "true", "[{\"operation\":\"fill\"}]"));
                what = $"top level {Encoding.UTF8.GetString(body)}";
                break;
            case 5:
                body = r.Pick(Array.Empty<byte>(), "null"u8.ToArray(), "   "u8.ToArray());
                what = $"body '{Encoding.UTF8.GetString(body)}'";
                expected = syntax.Or(Expectation.Invalid("operation")).Or(Expectation.Invalid("layer"));
                break;
            case 6:
                body = Encoding.UTF8.GetBytes(json + r.Pick(" x", "}", ",", "{}", "\u0000"));
                what = "garbage after the object";
                break;
            case 7:
                body = Encoding.UTF8.GetBytes(json.Replace("{", "{ /* comment */ ", StringComparison.Ordinal).Replace("}", ", }", StringComparison.Ordinal));
                what = "comments and trailing commas";
                expected = syntax.Or(model.Expect(request));
                break;
            case 8:
            {
                var other = r.Pick("nope", "", "generate");
                body = Encoding.UTF8.GetBytes("{\"operation\": \"" + other + "\", " + json.TrimStart()[1..]);
                what = $"operation given twice ('{other}' then 'fill')";
                var first = request.Clone();
                first.Operation = other;
                expected = syntax.Or(model.Expect(request)).Or(model.Expect(first)).Or(Expectation.Invalid("operation"));
                break;
            }

            case 9:
                body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)];
                what = "byte order mark";
                expected = syntax.Or(model.Expect(request));
                break;
            case 10:
            {
                var field = r.Pick("operation", "prompt", "clientLabel", "engine");
                var marked = JsonNode.Parse(json)!.AsObject();
                marked[field] = "x@@LONE@@";
                body = Encoding.UTF8.GetBytes(marked.ToJsonString().Replace("@@LONE@@", r.Pick("\\ud800", "\\udfff", "\\ud83c"), StringComparison.Ordinal));
                what = $"a lone surrogate (escaped) in {field}";
                var proto = request.Clone();
                switch (field)
                {
                    case "operation": proto.Operation = "x?"; break;
                    case "engine": proto.Engine = "x?"; break;
                }

                expected = syntax.Or(Expectation.Invalid(field == "clientLabel" ? "client_label" : field)).Or(model.Expect(proto));
                break;
            }

            default:
            {
                var layer = JsonNode.Parse(json)!.AsObject();
                layer["layer"]!["blobId"] = "blob-0";
                body = Encoding.UTF8.GetBytes(layer.ToJsonString());
                what = "layer with both data and blobId";
                var asBlob = request.Clone();
                asBlob.Layer.BlobId = "blob-0";
                expected = syntax.Or(Expectation.Invalid("layer")).Or(model.Expect(asBlob)).Or(model.Expect(request));
                break;
            }
        }

        return new HostileCase(index, "", "JSON", what, expected, (target, ct) => target.JsonAsync(HttpMethod.Post, "/v1/jobs", body, cancellationToken: ct));
    }

    private HostileCase GrpcWireCase(Random r, int index)
    {
        var request = BaseJob(r);
        var valid = request.ToByteArray();
        var unreadable = Expectation.Invalid("request");
        var headers = NoHeaders;
        string method = "RunJob", what;
        byte[] body;
        Expectation expected;
        switch (r.Next(13))
        {
            case 0:
            {
                var bytes = r.Bytes(r.Next(1, 300));
                body = HostileTarget.Frame(bytes);
                (method, expected) = ParsedBy(r.Pick("RunJob", "RunJob", "CancelJob", "GetBlob", "PutBlob", "GetInfo", "ListJobs"), bytes);
                what = $"{bytes.Length} random bytes as a {method} message";
                break;
            }

            case 1:
            {
                int cut = r.Next(1, valid.Length);
                body = HostileTarget.Frame(valid.AsSpan(0, cut));
                expected = ParsedBy("RunJob", valid[..cut]).Expected;
                what = $"message cut after {cut} of {valid.Length} bytes";
                break;
            }

            case 2:
            {
                var (field, tag) = r.Pick(("operation", 1), ("engine", 6), ("prompt", 7), ("client_label", 11));
                var bad = r.InvalidUtf8();
                var text = (byte[])[(byte)'f', (byte)'i', .. bad, (byte)'l', (byte)'l'];
                var message = new MemoryStream();
                message.Write(valid);
                var output = new CodedOutputStream(message, leaveOpen: true);
                output.WriteTag(tag, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(text));
                output.Flush();
                body = HostileTarget.Frame(message.ToArray());
                var lenient = request.Clone();
                var replaced = Encoding.UTF8.GetString(text);
                switch (tag)
                {
                    case 1: lenient.Operation = replaced; break;
                    case 6: lenient.Engine = replaced; break;
                    case 7: lenient.Prompt = replaced; break;
                    default: lenient.ClientLabel = replaced; break;
                }

                expected = unreadable.Or(Expectation.Invalid(field).Or(new ContractModel(info, new Dictionary<string, long>()).Expect(lenient)));
                what = $"invalid UTF-8 ({Convert.ToHexString(bad)}) in {field}";
                break;
            }

            case 3:
                int missing = r.Pick(1, 10, 1000);
                body = HostileTarget.Frame(valid, declaredLength: (uint)(valid.Length + missing));
                expected = unreadable;
                what = $"frame declares {missing} bytes more than it carries";
                break;
            case 4:
                body = HostileTarget.Frame(valid, compressed: true);
                expected = Expectation.Invalid("grpc-encoding");
                what = "compressed flag without grpc-encoding";
                break;
            case 5:
                var gzip = Gzip(valid);
                body = HostileTarget.Frame(r.Chance(0.5) ? valid : gzip[..(gzip.Length / 2)], compressed: true);
                headers = new Dictionary<string, string?> { ["grpc-encoding"] = "gzip" };
                expected = unreadable;
                what = "gzip-flagged message that is not (whole) gzip";
                break;
            case 6:
                body = HostileTarget.Frame(valid, compressed: true);
                var encoding = r.Pick("br", "zstd", "x-unknown", "gzip, deflate");
                headers = new Dictionary<string, string?> { ["grpc-encoding"] = encoding };
                expected = Expectation.Refused(StatusCode.Unimplemented, "grpc-encoding").Or(unreadable);
                what = $"grpc-encoding '{encoding}'";
                break;
            case 7:
                body = [.. HostileTarget.Frame(valid), .. HostileTarget.Frame(valid)];
                expected = unreadable;
                what = "two request messages";
                break;
            case 8:
                body = r.Pick(Array.Empty<byte>(), new byte[] { 0 }, new byte[] { 0, 0, 0 }, new byte[] { 0, 0, 0, 0 });
                expected = unreadable;
                what = $"{body.Length} bytes: no whole frame";
                break;
            case 9:
                body = HostileTarget.Frame([]);
                expected = new ContractModel(info, new Dictionary<string, long>()).Expect(new JobRequest());
                what = "an empty message";
                break;
            case 10:
                uint declared = r.Pick((uint)int.MaxValue, uint.MaxValue, (uint)MaxRequestBytes + 1);
                body = HostileTarget.Frame(valid, declaredLength: declared);
                expected = Expectation.Refused(StatusCode.ResourceExhausted, "request");
                what = $"frame declares {declared} bytes";
                break;
            case 11:
                body = HostileTarget.Frame(valid);
                method = r.Pick("Nope", "runjob", "RunJob/extra", "");
                // ASP.NET Core routes ignore case: "runjob" is RunJob
                expected = method == "runjob"
                    ? new ContractModel(info, new Dictionary<string, long>()).Expect(request)
                    : Expectation.Refused(StatusCode.Unimplemented, "method").Or(Expectation.Http(404));
                what = $"method '{method}'";
                break;
            default:
            {
                var message = new byte[MaxRequestBytes];
                body = HostileTarget.Frame(message);
                expected = Expectation.Refused(StatusCode.ResourceExhausted, "request");
                what = $"a {message.Length + 5}-byte body (limit {MaxRequestBytes})";
                break;
            }
        }

        var sendHeaders = headers;
        return new HostileCase(index, "", "gRPC", what, expected, (target, ct) => target.RawGrpcAsync(method, body, sendHeaders, ct));
    }

    /// <summary>What a method must answer to these message bytes: unreadable, or what the parsed message deserves.</summary>
    private (string Method, Expectation Expected) ParsedBy(string method, byte[] bytes)
    {
        var unreadable = Expectation.Invalid("request");
        try
        {
            return method switch
            {
                "RunJob" => (method, new ContractModel(info, new Dictionary<string, long>()).Expect(JobRequest.Parser.ParseFrom(bytes))),
                "CancelJob" => (method, CancelJobRequest.Parser.ParseFrom(bytes) is var _ ? Expectation.Refused(StatusCode.NotFound, "job_id") : unreadable),
                "GetBlob" => (method, GetBlobRequest.Parser.ParseFrom(bytes).BlobId.Length == 0 ? Expectation.Invalid("blob_id") : Expectation.Refused(StatusCode.NotFound, "blob_id")),
                "PutBlob" => (method, PutBlobRequest.Parser.ParseFrom(bytes).Content?.Data.IsEmpty != false ? Expectation.Invalid("content") : Expectation.Ok),
                "GetInfo" => (method, GetInfoRequest.Parser.ParseFrom(bytes) is var _ ? Expectation.Ok : unreadable),
                _ => (method, ListJobsRequest.Parser.ParseFrom(bytes) is var _ ? Expectation.Ok : unreadable),
            };
        }
        catch (InvalidProtocolBufferException)
        {
            return (method, unreadable);
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private HostileCase HeaderCase(Random r, int index)
    {
        bool json = r.Chance(0.5);
        var broken = new List<Expectation>();
        var headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var what = new List<string>();
        int parts = r.Chance(0.8) ? 1 : 2;
        var kinds = new[] { 0, 1, 2 }.OrderBy(_ => r.Next()).Take(parts);
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                case 0:
                {
                    var (value, ok) = TokenVariant(r);
                    headers["authorization"] = value;
                    what.Add($"authorization '{Observed.Shorten(value ?? "(none)", 40)}'");
                    if (!ok)
                        broken.Add(Expectation.Refused(StatusCode.Unauthenticated, "authorization"));
                    break;
                }

                case 1:
                {
                    var (value, ok) = r.Pick(
                        ("evil.example", false), ("localhost.evil.example", false), ("127.0.0.1.nip.io", false), ("0.0.0.0", false),
                        ("127.0.0.2", false), ("[::ffff:127.0.0.1]", false), ("2130706433", false), ("127.1", false), ("localhost.", false),
                        ("attacker.example:80", false), (new string(r.Text(r.Next(1, 20)).Select(c => char.IsAsciiLetterOrDigit(c) ? c : 'x').ToArray()), false),
                        ("LOCALHOST", true), ("localhost:1", true), ("[::1]:9", true), ("127.0.0.1", true));
                    if (value.Any(c => c > 126 || c < 33))
                        value = "xn--" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));
                    headers["host"] = value;
                    what.Add($"Host '{value}'");
                    if (!ok)
                        broken.Add(Expectation.Refused(StatusCode.PermissionDenied, "Host"));
                    break;
                }

                default:
                {
                    var (value, ok) = r.Pick(
                        ("null", false), ("https://evil.example", false), ("http://localhost.evil.example", false), ("http://127.0.0.1.evil.example", false),
                        ("http://127.0.0.1:80@evil.example", false), ("file://", false), ("chrome-extension://abcdefgh", false), ("http://0.0.0.0", false),
                        ("", false), ("ws://localhost", false), ("moz-extension://x", false), ("http://[::ffff:7f00:1]", false),
                        ("http://localhost", true), ("https://127.0.0.1:8443", true), ("http://[::1]:3000", true), ("HTTP://LOCALHOST", true));
                    headers["origin"] = value;
                    what.Add($"Origin '{value}'");
                    if (!ok)
                        broken.Add(Expectation.Refused(StatusCode.PermissionDenied, "Origin"));
                    break;
                }
            }
        }

        var call = r.Pick("GetInfo", "RunJob", "PutBlob");
        var expected = broken.Count == 0
            ? call == "PutBlob" || call == "GetInfo" ? Expectation.Ok : new ContractModel(info, new Dictionary<string, long>()).Expect(BaseJob(new Random(index)))
            : Expectation.Any([.. broken]);
        var job = BaseJob(new Random(index));
        var description = $"{call} with {string.Join(", ", what)}";
        if (json)
        {
            return new HostileCase(index, "", "JSON", description, expected, (target, ct) => call switch
            {
                "GetInfo" => target.JsonAsync(HttpMethod.Get, "/v1/info", null, null, headers, ct),
                "PutBlob" => target.JsonAsync(HttpMethod.Post, "/v1/blobs", r.Bytes(64), "application/octet-stream", headers, ct),
                _ => target.JsonAsync(HttpMethod.Post, "/v1/jobs", Encoding.UTF8.GetBytes(FormatJson(job)), "application/json", headers, ct),
            });
        }

        byte[] message = call switch
        {
            "GetInfo" => new GetInfoRequest().ToByteArray(),
            "PutBlob" => new PutBlobRequest { Content = new Google.Api.HttpBody { Data = ByteString.CopyFrom(new byte[64]) } }.ToByteArray(),
            _ => job.ToByteArray(),
        };
        return new HostileCase(index, "", "gRPC", description, expected, (target, ct) => target.RawGrpcAsync(call, HostileTarget.Frame(message), headers, ct));
    }

    /// <summary>An authorization header value and whether it carries the token (null: no header).</summary>
    private static (string? Value, bool Ok) TokenVariant(Random r)
    {
        // the token is known only when the case is sent: "{token}" stands for it
        return r.Next(12) switch
        {
            0 => (null, false),
            1 => ("Bearer", false),
            2 => ("Bearer ", false),
            3 => ("Bearer " + Convert.ToHexStringLower(r.Bytes(32)), false),
            4 => ("Bearer {token-flipped}", false),
            5 => ("Bearer {token-short}", false),
            6 => ("Bearer {token}0", false),
            7 => ("Basic dXNlcjpwYXNzd29yZA==", false),
            8 => ("Bearer " + new string('f', r.Pick(65, 1000, 16_000)), false),
            9 => ("bearer {token}", true),
            10 => ("Bearer   {token}  ", true),
            _ => ("Token {token}", false),
        };
    }

    private HostileCase ContentTypeCase(Random r, int index)
    {
        var request = BaseJob(r);
        var model = new ContractModel(info, new Dictionary<string, long>()).Expect(request);
        if (r.Chance(0.5))
        {
            var (type, expected) = r.Pick(
                ("text/plain", Expectation.Invalid("content type")),
                ((string?)null, Expectation.Invalid("content type")),
                ("application/xml", Expectation.Invalid("content type")),
                ("multipart/form-data; boundary=x", Expectation.Invalid("content type")),
                ("application/x-www-form-urlencoded", Expectation.Invalid("content type")),
                ("application/json; charset=utf-16", Expectation.Invalid("content type").Or(Expectation.Invalid("request body")).Or(model)),
                ("APPLICATION/JSON", model),
                ("application/json; charset=utf-8", model),
                ("application/grpc", Expectation.Invalid("content type").Or(Expectation.Http(415)).Or(Expectation.Invalid("request body"))));
            var body = Encoding.UTF8.GetBytes(FormatJson(request));
            return new HostileCase(index, "", "JSON", $"job as '{type ?? "(no content type)"}'", expected,
                (target, ct) => target.JsonAsync(HttpMethod.Post, "/v1/jobs", body, type, null, ct));
        }

        var (grpcType, grpcExpected) = r.Pick(
            ("application/json", Expectation.Invalid("content-type")),
            ("text/plain", Expectation.Invalid("content-type")),
            ("application/grpc+proto", model),
            // grpc-dotnet serves every application/grpc+subtype with the protobuf marshaller
            ("application/grpc+json", Expectation.Invalid("content-type").Or(Expectation.Invalid("request")).Or(model)),
            ("application/grpc-web", Expectation.Invalid("content-type")),
            ("application/octet-stream", Expectation.Invalid("content-type")));
        var frame = HostileTarget.Frame(request.ToByteArray());
        return new HostileCase(index, "", "gRPC", $"RunJob as '{grpcType}'", grpcExpected,
            (target, ct) => target.RawGrpcAsync("RunJob", frame, new Dictionary<string, string?> { ["content-type"] = grpcType }, ct));
    }

    private HostileCase MethodCase(Random r, int index)
    {
        var id = HostileId(r);
        var escaped = Uri.EscapeDataString(id.Length == 0 ? "x" : id);
        // Kestrel comes first for some paths: 414 over its request-line limit (8 KiB), 400 for a NUL in the path
        var tooLong = Expectation.Http(414).Or(Expectation.Http(400));
        switch (r.Next(10))
        {
            case 0:
                return new HostileCase(index, "", "gRPC", $"CancelJob '{Observed.Shorten(id, 30)}'", Expectation.Refused(StatusCode.NotFound, "job_id"),
                    (t, _) => t.CallAsync(c => c.CancelJobAsync(id)));
            case 1:
                return new HostileCase(index, "", "JSON", $"cancel '{Observed.Shorten(id, 30)}'", Expectation.Refused(StatusCode.NotFound, "job_id").Or(Expectation.Http(404)).Or(tooLong),
                    (t, ct) => t.JsonAsync(HttpMethod.Post, $"/v1/jobs/{escaped}/cancel", "{}"u8.ToArray(), cancellationToken: ct));
            case 2:
                return new HostileCase(index, "", "gRPC", $"GetBlob '{Observed.Shorten(id, 30)}'", id.Length == 0 ? Expectation.Invalid("blob_id") : Expectation.Refused(StatusCode.NotFound, "blob_id"),
                    (t, _) => t.CallAsync(c => c.Raw.GetBlobAsync(new GetBlobRequest { BlobId = id }).ResponseAsync));
            case 3:
                return new HostileCase(index, "", "JSON", $"GET /v1/blobs/{Observed.Shorten(escaped, 30)}", Expectation.Refused(StatusCode.NotFound, "blob_id").Or(tooLong),
                    (t, ct) => t.JsonAsync(HttpMethod.Get, $"/v1/blobs/{escaped}", null, null, cancellationToken: ct));
            case 4:
            {
                int size = r.Pick(0, 0, 1, 1000, 1 << 20);
                var bytes = r.Bytes(size);
                var expected = size == 0 ? Expectation.Invalid("content") : Expectation.Ok;
                return r.Chance(0.5)
                    ? new HostileCase(index, "", "JSON", $"PutBlob of {size} bytes", expected,
                        (t, ct) => t.JsonAsync(HttpMethod.Post, "/v1/blobs", bytes, r.Pick("application/octet-stream", "image/png", "text/plain"), cancellationToken: ct))
                    : new HostileCase(index, "", "gRPC", $"PutBlob of {size} bytes", expected,
                        (t, _) => t.CallAsync(c => c.Raw.PutBlobAsync(new PutBlobRequest { Content = new Google.Api.HttpBody { Data = ByteString.CopyFrom(bytes) } }).ResponseAsync));
            }

            case 5:
            {
                var (verb, path) = r.Pick((HttpMethod.Get, "/v1/nothing"), (HttpMethod.Delete, "/v1/jobs"), (HttpMethod.Put, "/v1/info"), (HttpMethod.Get, "/"),
                    (HttpMethod.Get, "/v1/blobs/"), (HttpMethod.Post, "/v1/info"), (HttpMethod.Get, "/v2/info"), (HttpMethod.Options, "/v1/jobs"), (HttpMethod.Get, "/editorbridge.v1.EditorBridge/GetInfo"));
                return new HostileCase(index, "", "JSON", $"{verb} {path}", Expectation.Http(404).Or(Expectation.Http(405)),
                    (t, ct) => t.JsonAsync(verb, path, null, null, cancellationToken: ct));
            }

            case 6:
                return new HostileCase(index, "", "JSON", "GET /v1/info with hostile query", Expectation.Ok.Or(tooLong),
                    (t, ct) => t.JsonAsync(HttpMethod.Get, $"/v1/info?{escaped}={escaped}&x=%00&x=%FF", null, null, cancellationToken: ct));
            case 7:
                return new HostileCase(index, "", "gRPC", "ListJobs", Expectation.Ok, (t, _) => t.CallAsync(c => c.ListJobsAsync()));
            case 8:
                return new HostileCase(index, "", "JSON", "GET /v1/jobs", Expectation.Ok, (t, ct) => t.JsonAsync(HttpMethod.Get, "/v1/jobs", null, null, cancellationToken: ct));
            default:
                return new HostileCase(index, "", "gRPC", "unknown service", Expectation.Refused(StatusCode.Unimplemented, "method").Or(Expectation.Http(404)),
                    (t, ct) => t.RawGrpcAsync("../other.Service/Call", HostileTarget.Frame([]), null, ct));
        }
    }

    private HostileCase MalformedHttpCase(Random r, int index)
    {
        var ok = new List<(string, string)> { ("Host", "127.0.0.1"), ("Authorization", "Bearer {token}") };
        byte[] bytes;
        string what;
        var expected = Expectation.Http(400);
        bool grpcPort = false;
        switch (r.Next(12))
        {
            case 0:
                bytes = RawHttp.Head("GET", "/v1/info", [("Authorization", "Bearer {token}")]);
                what = "no Host header";
                break;
            case 1:
                bytes = RawHttp.Head("GET", "/v1/info", [.. ok, ("Host", "evil.example")]);
                what = "two Host headers";
                expected = Expectation.Http(400).Or(Expectation.Refused(StatusCode.PermissionDenied, "Host"));
                break;
            case 2:
                bytes = RawHttp.Head("GET", "/v1/info", [.. ok, ("X-Big", new string('a', r.Pick(40_000, 100_000)))]);
                what = "headers over 32 KB";
                expected = Expectation.Http(431);
                break;
            case 3:
                bytes = Encoding.ASCII.GetBytes(r.Pick("GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /v1/info HTTP/9.9\r\nHost: localhost\r\n\r\n", "GET /v1/info\r\n\r\n"));
                what = "broken request line";
                expected = Expectation.Http(400).Or(Expectation.Http(505)).Or(Expectation.Closed);
                break;
            case 4:
                bytes = Encoding.ASCII.GetBytes("GET /v1/info HTTP/1.0\r\nAuthorization: Bearer {token}\r\n\r\n");
                what = "HTTP/1.0 without Host";
                expected = Expectation.Refused(StatusCode.PermissionDenied, "Host").Or(Expectation.Http(400));
                break;
            case 5:
                bytes = [.. RawHttp.Head("POST", "/v1/blobs", [.. ok, ("Content-Length", "5"), ("Transfer-Encoding", "chunked")]), .. "0\r\n\r\n"u8];
                what = "Content-Length and Transfer-Encoding";
                expected = Expectation.Http(400).Or(Expectation.Invalid("content"));
                break;
            case 6:
                bytes = RawHttp.Head("POST", "/v1/blobs", [.. ok, ("Content-Length", r.Pick("-1", "abc", "99999999999999999999", "1, 2"))]);
                what = "bad Content-Length";
                break;
            case 7:
                bytes = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
                what = "an HTTP/2 preface on the HTTP/1.1 port";
                expected = Expectation.Http(400).Or(Expectation.Http(505)).Or(Expectation.Closed);
                break;
            case 8:
                bytes = RawHttp.Head("GET", "/v1/info", ok);
                what = "HTTP/1.1 on the gRPC (HTTP/2) port";
                grpcPort = true;
                expected = Expectation.Closed.Or(Expectation.Http(400));
                break;
            case 9:
                bytes = r.Bytes(r.Next(1, 2000));
                grpcPort = r.Chance(0.5);
                what = $"{bytes.Length} random bytes on the {(grpcPort ? "gRPC" : "JSON")} port";
                expected = Expectation.Http(400).Or(Expectation.Http(505)).Or(Expectation.Closed);
                break;
            case 10:
                bytes = RawHttp.Head("GET", r.Pick("http://evil.example/v1/info", "http://127.0.0.1/v1/info"), ok);
                what = "absolute-form request target";
                expected = Expectation.Http(400).Or(Expectation.Refused(StatusCode.PermissionDenied, "Host")).Or(Expectation.Ok);
                break;
            default:
                bytes = [.. RawHttp.Head("GET", "/v1/info", [("Host", "127.0.0.1"), ("Authorization", "Bearer {token}"), ("X-Name", "\u00ff\u00fe")])];
                what = "a Latin-1 header value";
                expected = Expectation.Http(400).Or(Expectation.Ok);
                break;
        }

        // random bytes may be the start of a request line that never ends: say that no more comes
        bool endInput = what.Contains("random bytes", StringComparison.Ordinal);
        return new HostileCase(index, "", "HTTP", what, expected, (target, ct) =>
            target.RawAsync(grpcPort ? target.GrpcPort : target.HttpPort, Encoding.Latin1.GetBytes(target.Expand(Encoding.Latin1.GetString(bytes))), ct, endInput));
    }
}
