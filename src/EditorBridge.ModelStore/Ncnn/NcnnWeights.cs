using System.Buffers.Binary;

namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// Reads an ncnn <c>.bin</c> in layer order. Weight arrays (type 0) start with a 4-byte tag:
/// 0 for float32, 0x01306B47 for float16 (padded to 4 bytes); biases, slopes and scales (type 1)
/// are bare float32. Quantised arrays (int8, or a 256-entry table) are refused.
/// </summary>
internal sealed class NcnnWeights(byte[] bytes)
{
    private const uint Float16Tag = 0x01306B47;

    private int position;

    public bool AtEnd => position == bytes.Length;

    public int Position => position;

    public int Length => bytes.Length;

    /// <summary>A tagged weight array of <paramref name="count"/> values.</summary>
    public float[] Tagged(int count, NcnnLayer layer)
    {
        var tag = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, layer));
        if (tag == Float16Tag)
        {
            var raw = Take((count * 2 + 3) / 4 * 4, layer);
            var values = new float[count];
            for (int i = 0; i < count; i++)
                values[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2)));
            return values;
        }

        if (tag == 0)
            return Raw(count, layer);
        throw new NotSupportedException($"{layer}: its weights are quantised (tag 0x{tag:x8}); only float32 and float16 weights are supported");
    }

    /// <summary>A bare float32 array of <paramref name="count"/> values.</summary>
    public float[] Raw(int count, NcnnLayer layer)
    {
        var raw = Take(count * 4, layer);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4));
        return values;
    }

    private ReadOnlySpan<byte> Take(int count, NcnnLayer layer)
    {
        if (count < 0 || position + count > bytes.Length)
            throw new FormatException($"{layer}: the weights file ends at byte {bytes.Length}, before this layer's weights (it needs {count} more bytes at {position})");
        var span = bytes.AsSpan(position, count);
        position += count;
        return span;
    }
}
