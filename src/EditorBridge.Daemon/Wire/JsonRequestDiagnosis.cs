using System.Globalization;
using System.Numerics;
using System.Text.Json;
using EditorBridge.Daemon.Core;
using Google.Protobuf.Reflection;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// Finds what is wrong with a JSON request body that JSON transcoding refused with a message that
/// names no field ("Request JSON payload is not correctly formatted.", "Error converting value …"):
/// invalid JSON (with its line and byte), a value of the wrong type for its field, an unknown enum
/// name, a number out of its type's range, bytes that are not base64, two members of one oneof.
/// Field paths are given in proto form (<c>layer.offset_x</c>), as in every other refusal. Runs
/// only after transcoding has refused a body, so it never decides whether a request is accepted.
/// </summary>
public static class JsonRequestDiagnosis
{
    public const string BodyField = "request body";

    /// <summary>The first problem found (field, what is wrong), or null when none is found.</summary>
    public static (string Field, string Problem)? Explain(ReadOnlyMemory<byte> json, MessageDescriptor descriptor)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return (BodyField, $"not valid JSON: {e.Message}");
        }

        using (document)
            return Message(document.RootElement, descriptor, "");
    }

    private static (string, string)? Message(JsonElement element, MessageDescriptor descriptor, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return (path.Length == 0 ? BodyField : path, $"expected a JSON object ({descriptor.Name}), got {Describe(element)}");
        var oneofs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var field = descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name || f.Name == property.Name);
            if (field is null || property.Value.ValueKind == JsonValueKind.Null)
                continue; // unknown fields are ignored, as on the gRPC side; null means "not set"
            var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            if (field.RealContainingOneof is { } oneof)
            {
                if (oneofs.TryGetValue(oneof.Name, out var other))
                    return (path.Length == 0 ? field.Name : path, $"both {other} and {field.JsonName} are set; send one of them");
                oneofs[oneof.Name] = field.JsonName;
            }

            var problem = field.IsMap
                ? property.Value.ValueKind == JsonValueKind.Object ? null : (fieldPath, $"expected a JSON object, got {Describe(property.Value)}")
                : field.IsRepeated
                    ? Repeated(property.Value, field, fieldPath)
                    : Value(property.Value, field, fieldPath);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    private static (string, string)? Repeated(JsonElement element, FieldDescriptor field, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
            return (path, $"expected a JSON array, got {Describe(element)}");
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (Value(item, field, $"{path}[{i++}]") is { } problem)
                return problem;
        }

        return null;
    }

    private static (string, string)? Value(JsonElement e, FieldDescriptor field, string path)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                return field.MessageType.FullName switch
                {
                    "google.protobuf.Value" => null,
                    "google.protobuf.Struct" => e.ValueKind == JsonValueKind.Object ? null : (path, $"expected a JSON object, got {Describe(e)}"),
                    "google.protobuf.ListValue" => e.ValueKind == JsonValueKind.Array ? null : (path, $"expected a JSON array, got {Describe(e)}"),
                    _ when field.MessageType.File.Package == "google.protobuf" => null,
                    _ => Message(e, field.MessageType, path),
                };
            case FieldType.Enum:
                var names = field.EnumType.Values.Select(v => v.Name).ToList();
                if (e.ValueKind == JsonValueKind.String)
                    return names.Contains(e.GetString()!) ? null : (path, $"unknown value \"{Short(e.GetString()!)}\"; one of: {string.Join(", ", names)}");
                return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _) ? null : (path, $"expected one of {string.Join(", ", names)}, got {Describe(e)}");
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                return Integer(e, path, int.MinValue, int.MaxValue, "int32");
            case FieldType.UInt32 or FieldType.Fixed32:
                return Integer(e, path, 0, uint.MaxValue, "uint32");
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                return Integer(e, path, long.MinValue, long.MaxValue, "int64");
            case FieldType.UInt64 or FieldType.Fixed64:
                return Integer(e, path, 0, ulong.MaxValue, "uint64");
            case FieldType.Double or FieldType.Float:
                if (e.ValueKind == JsonValueKind.Number)
                    return null;
                if (e.ValueKind == JsonValueKind.String && (e.GetString() is "NaN" or "Infinity" or "-Infinity" || double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    return null;
                return (path, $"expected a number, got {Describe(e)}");
            case FieldType.Bool:
                return e.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : (path, $"expected true or false, got {Describe(e)}");
            case FieldType.String:
                return e.ValueKind == JsonValueKind.String ? null : (path, $"expected a string, got {Describe(e)}");
            case FieldType.Bytes:
                if (e.ValueKind != JsonValueKind.String)
                    return (path, $"expected base64 text, got {Describe(e)}");
                var text = e.GetString()!.Replace('-', '+').Replace('_', '/');
                text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
                return Convert.TryFromBase64String(text, new byte[text.Length], out _) ? null : (path, "not valid base64");
            default:
                return null;
        }
    }

    private static (string, string)? Integer(JsonElement e, string path, BigInteger min, BigInteger max, string type)
    {
        string? raw = e.ValueKind switch
        {
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.String => e.GetString(),
            _ => null,
        };
        if (raw is not null && decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d))
        {
            var n = new BigInteger(d);
            if (n >= min && n <= max)
                return null;
            return (path, $"{Short(raw)} is outside the range of {type} ({min}..{max})");
        }

        return (path, $"expected a whole number ({type}), got {Describe(e)}");
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Short(e.GetString() ?? "")}\"",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Null => "null",
        _ => Short(e.GetRawText()),
    };

    private static string Short(string s) => Quoted.Short(s);
}
