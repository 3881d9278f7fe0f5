using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>JSON transcoding families: a field of the wrong type, broken syntax.</summary>
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
}
