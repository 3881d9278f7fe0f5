using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Inference;

/// <summary>
/// RGBA8 pixels ↔ NCHW tensors as a model's <see cref="TensorDescription"/> says: value range,
/// channel order (rgb, bgr, l = lightness, ab = Lab chroma), mean/std in the tensor's channel
/// order, and element type (float32, float16, uint8). Alpha never enters a model: callers keep
/// it aside (<see cref="Alpha"/>) and put it back (<see cref="ToRgba"/>).
/// The returned <see cref="OrtValue"/>s own pinned buffers: dispose them when the run is done.
/// </summary>
public static class ImageTensors
{
    public static int ChannelCount(string channels) => channels switch
    {
        "rgb" or "bgr" => 3,
        "l" => 1,
        "ab" => 2,
        _ => throw new ArgumentException($"unknown channel order '{channels}'; known: rgb, bgr, l, ab", nameof(channels)),
    };

    /// <summary>A picture tensor [1, C, height, width] from RGBA8 pixels.</summary>
    public static OrtValue FromRgba(ReadOnlySpan<byte> rgba, int width, int height, TensorDescription description)
    {
        int pixels = checked(width * height);
        if (rgba.Length != pixels * 4)
            throw new ArgumentException($"expected {pixels * 4} bytes for {width}x{height} RGBA8, got {rgba.Length}", nameof(rgba));
        int count = ChannelCount(description.Channels);
        var normalised = new float[pixels * count];
        switch (description.Channels)
        {
            case "l":
                for (int p = 0; p < pixels; p++)
                    normalised[p] = (float)(CieLab.Lightness(rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]) / 100);
                break;
            case "ab":
                for (int p = 0; p < pixels; p++)
                {
                    var lab = CieLab.FromRgb(rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]);
                    normalised[p] = (float)((lab.A + 128) / 256);
                    normalised[pixels + p] = (float)((lab.B + 128) / 256);
                }

                break;
            default:
                int first = description.Channels == "bgr" ? 2 : 0;
                for (int p = 0; p < pixels; p++)
                {
                    normalised[p] = rgba[p * 4 + first] / 255f;
                    normalised[pixels + p] = rgba[p * 4 + 1] / 255f;
                    normalised[2 * pixels + p] = rgba[p * 4 + 2 - first] / 255f;
                }

                break;
        }

        return Tensor(normalised, count, width, height, description);
    }

    /// <summary>A mask tensor [1, 1, height, width] from coverage (0 keep … 255 regenerate), 255 mapped to the range's top.</summary>
    public static OrtValue FromCoverage(ReadOnlySpan<byte> coverage, int width, int height, TensorDescription description)
    {
        if (coverage.Length != checked(width * height))
            throw new ArgumentException($"expected {width * height} bytes for a {width}x{height} mask, got {coverage.Length}", nameof(coverage));
        var normalised = new float[coverage.Length];
        for (int p = 0; p < normalised.Length; p++)
            normalised[p] = coverage[p] / 255f;
        return Tensor(normalised, 1, width, height, description);
    }

    /// <summary>An output tensor (rank ≥ 3, height and width last) as normalised planes in RGB order.</summary>
    public static PlanarImage ToPlanar(OrtValue value, TensorDescription description) => ToPlanar(value, description, null);

    /// <summary>
    /// As <see cref="ToPlanar(OrtValue, TensorDescription)"/>, writing into <paramref name="reuse"/> when it has
    /// the right length (tiled runs read every tile into the same array instead of leaving tens of MB of garbage per tile).
    /// </summary>
    public static PlanarImage ToPlanar(OrtValue value, TensorDescription description, float[]? reuse)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (shape.Length < 3)
            throw new InvalidDataException($"output '{description.Name}' has shape [{string.Join(", ", shape)}]; a picture needs at least 3 dimensions (…, height, width)");
        int height = checked((int)shape[^2]), width = checked((int)shape[^1]);
        int count = ChannelCount(description.Channels);
        long available = info.ElementCount / ((long)width * height);
        if (available < count)
            throw new InvalidDataException($"output '{description.Name}' has {available} channel(s); its description says {count} ({description.Channels})");
        var (low, high) = Range(description);
        int plane = width * height;
        var values = reuse is not null && reuse.Length == count * plane ? reuse : new float[count * plane];
        for (int c = 0; c < count; c++)
        {
            // one pass per plane: tensor value → normalised 0..1 (undo std, mean, range)
            double mean = description.Mean is { } m ? m[c] : 0, std = description.Std is { } s ? s[c] : 1;
            float gain = (float)(std / (high - low)), offset = (float)((mean - low) / (high - low));
            Read(value, info.ElementDataType, c * plane, values.AsSpan(c * plane, plane), gain, offset, description.Name);
        }

        if (description.Channels == "bgr")
            SwapPlanes(values, 0, 2, plane);
        return new PlanarImage(width, height, description.Channels == "bgr" ? "rgb" : description.Channels, values);
    }

    /// <summary>RGB planes to RGBA8 with the alpha given (one byte per pixel), or opaque when it is empty.</summary>
    public static byte[] ToRgba(PlanarImage planes, ReadOnlySpan<byte> alpha)
    {
        if (planes.Channels != "rgb")
            throw new ArgumentException($"RGBA needs rgb planes, not {planes.Channels}", nameof(planes));
        int pixels = planes.Width * planes.Height;
        if (!alpha.IsEmpty && alpha.Length != pixels)
            throw new ArgumentException($"expected {pixels} alpha values, got {alpha.Length}", nameof(alpha));
        var rgba = new byte[pixels * 4];
        var data = planes.Data;
        for (int p = 0; p < pixels; p++)
        {
            rgba[p * 4] = ToByte(data[p]);
            rgba[p * 4 + 1] = ToByte(data[pixels + p]);
            rgba[p * 4 + 2] = ToByte(data[2 * pixels + p]);
            rgba[p * 4 + 3] = alpha.IsEmpty ? (byte)255 : alpha[p];
        }

        return rgba;
    }

    /// <summary>The first plane as coverage 0..255 (a mask or probability output).</summary>
    public static byte[] ToCoverage(PlanarImage planes)
    {
        var coverage = new byte[planes.Width * planes.Height];
        for (int p = 0; p < coverage.Length; p++)
            coverage[p] = ToByte(planes.Data[p]);
        return coverage;
    }

    /// <summary>The alpha channel of RGBA8 pixels, kept aside while the colours go through a model.</summary>
    public static byte[] Alpha(ReadOnlySpan<byte> rgba)
    {
        var alpha = new byte[rgba.Length / 4];
        for (int p = 0; p < alpha.Length; p++)
            alpha[p] = rgba[p * 4 + 3];
        return alpha;
    }

    /// <summary>The range a description states, or its type's usual one: [0, 255] for uint8, [0, 1] otherwise.</summary>
    public static (double Low, double High) Range(TensorDescription description) =>
        description.Range is [var low, var high] && high != low ? (low, high)
        : description.DataType == "uint8" ? (0, 255) : (0, 1);

    public static byte ToByte(float normalised) => (byte)Math.Clamp(MathF.Round(normalised * 255), 0, 255);

    private static OrtValue Tensor(float[] normalised, int count, int width, int height, TensorDescription description)
    {
        var (low, high) = Range(description);
        int plane = width * height;
        for (int c = 0; c < count; c++)
        {
            double mean = description.Mean is { } m ? m[c] : 0, std = description.Std is { } s ? s[c] : 1;
            float gain = (float)((high - low) / std), offset = (float)((low - mean) / std);
            for (int i = c * plane; i < (c + 1) * plane; i++)
                normalised[i] = normalised[i] * gain + offset;
        }

        long[] shape = [1, count, height, width];
        return description.DataType switch
        {
            "float32" => OrtValue.CreateTensorValueFromMemory(normalised, shape),
            "float16" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(normalised, v => (Float16)v), shape),
            "uint8" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(normalised, v => (byte)Math.Clamp(MathF.Round(v), 0, 255)), shape),
            _ => throw new ArgumentException($"input '{description.Name}': data type '{description.DataType}' is not a picture type (float32, float16, uint8)", nameof(description)),
        };
    }

    private static void Read(OrtValue value, TensorElementType type, int start, Span<float> target, float gain, float offset, string name)
    {
        switch (type)
        {
            case TensorElementType.Float:
                var floats = value.GetTensorDataAsSpan<float>().Slice(start, target.Length);
                for (int i = 0; i < target.Length; i++)
                    target[i] = floats[i] * gain + offset;
                break;
            case TensorElementType.Float16:
                var halves = value.GetTensorDataAsSpan<Float16>().Slice(start, target.Length);
                for (int i = 0; i < target.Length; i++)
                    target[i] = (float)halves[i] * gain + offset;
                break;
            case TensorElementType.UInt8:
                var bytes = value.GetTensorDataAsSpan<byte>().Slice(start, target.Length);
                for (int i = 0; i < target.Length; i++)
                    target[i] = bytes[i] * gain + offset;
                break;
            default:
                throw new InvalidDataException($"output '{name}' holds {type}; pictures are read from float32, float16 or uint8");
        }
    }

    private static void SwapPlanes(float[] values, int first, int second, int plane)
    {
        for (int i = 0; i < plane; i++)
            (values[first * plane + i], values[second * plane + i]) = (values[second * plane + i], values[first * plane + i]);
    }
}
