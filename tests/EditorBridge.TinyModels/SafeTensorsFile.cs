using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EditorBridge.TinyModels;

/// <summary>Writes a .safetensors file (8-byte header length, JSON header, little-endian data) of float32 or float16 tensors, as LoRA trainers do.</summary>
public static class SafeTensorsFile
{
    public static void Write(string path, IReadOnlyDictionary<string, (long[] Shape, float[] Values)> tensors, bool half = false)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        using var data = new MemoryStream();
        foreach (var (name, (shape, values)) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            long begin = data.Length;
            var bytes = new byte[values.Length * (half ? 2 : 4)];
            for (int i = 0; i < values.Length; i++)
            {
                if (half)
                    BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
                else
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            }

            data.Write(bytes);
            header[name] = new Dictionary<string, object> { ["dtype"] = half ? "F16" : "F32", ["shape"] = shape, ["data_offsets"] = new[] { begin, data.Length } };
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }
}
