using System.Buffers.Binary;
using System.Text.Json;

namespace EditorBridge.Lora;

/// <summary>
/// Reads a .safetensors file (Hugging Face's format: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw little-endian data) as
/// float32 arrays. Only what LoRA files hold is accepted: F32, F16 and BF16 tensors; the header is
/// capped and every range is checked against the file before anything is read.
/// </summary>
public static class SafeTensors
{
    public const long MaxHeaderBytes = 100L << 20;

    public static IReadOnlyDictionary<string, LoraTensor> Read(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
            throw Bad(path, "shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
            throw Bad(path, $"header length {headerLength} does not fit the file ({stream.Length} bytes)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;

        using var document = ParseHeader(path, header);
        var tensors = new Dictionary<string, LoraTensor>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            var (dtype, shape, begin, end) = Describe(path, entry);
            int elementSize = dtype == "F32" ? 4 : 2;
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (begin < 0 || end < begin || end > dataLength || end - begin != count * elementSize)
                throw Bad(path, $"tensor '{entry.Name}': bytes {begin}..{end} do not match its shape [{string.Join(", ", shape)}] of {dtype} inside {dataLength} data bytes");
            var raw = new byte[end - begin];
            stream.Position = dataStart + begin;
            stream.ReadExactly(raw);
            tensors[entry.Name] = new LoraTensor(shape, Decode(raw, dtype));
        }

        return tensors;
    }

    private static JsonDocument ParseHeader(string path, byte[] header)
    {
        try
        {
            var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(path, "its header is not a JSON object");
            return document;
        }
        catch (JsonException e)
        {
            throw Bad(path, $"its header is not valid JSON ({e.Message})");
        }
    }

    private static (string Dtype, long[] Shape, long Begin, long End) Describe(string path, JsonProperty entry)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Bad(path, $"tensor '{entry.Name}' lacks dtype, shape or data_offsets");
        var type = dtype.GetString()!;
        if (type is not ("F32" or "F16" or "BF16"))
            throw Bad(path, $"tensor '{entry.Name}' is {type}; LoRA weights are F32, F16 or BF16");
        var dims = shape.EnumerateArray().Select(d => d.TryGetInt64(out long v) && v >= 0 ? v : throw Bad(path, $"tensor '{entry.Name}' has a bad shape")).ToArray();
        return (type, dims, offsets[0].GetInt64(), offsets[1].GetInt64());
    }

    private static float[] Decode(byte[] raw, string dtype)
    {
        var values = new float[raw.Length / (dtype == "F32" ? 4 : 2)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4)),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(i * 2)),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16),
            };
        }

        return values;
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{Path.GetFileName(path)} is not a valid safetensors file: {problem}");
}

/// <summary>One tensor of a LoRA file, as float32.</summary>
public sealed record LoraTensor(long[] Shape, float[] Values);
