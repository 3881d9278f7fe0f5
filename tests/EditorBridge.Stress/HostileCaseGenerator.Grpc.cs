using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>gRPC framing: lengths, compression flags, messages cut or padded, and what the parser makes of them.</summary>
public sealed partial class HostileCaseGenerator
{
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
}
