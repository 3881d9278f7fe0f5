using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>The families below gRPC: headers, content types, routes and methods, HTTP itself.</summary>
public sealed partial class HostileCaseGenerator
{
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
