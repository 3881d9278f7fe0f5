namespace EditorBridge.Inference;

/// <summary>
/// A model's picture output as planes of normalised values, 0..1 per channel (what the tensor's
/// range maps to), channels in <see cref="Channels"/> order: "rgb" (BGR outputs are reordered),
/// "l" (one grey/luminance/mask plane) or "ab" (Lab chroma, 0..1 spanning a/b −128..128).
/// </summary>
public sealed class PlanarImage
{
    public PlanarImage(int width, int height, string channels, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int count = ImageTensors.ChannelCount(channels);
        if (data.Length != checked(width * height * count))
            throw new ArgumentException($"expected {width * height * count} values for {width}x{height}x{count}, got {data.Length}", nameof(data));
        Width = width;
        Height = height;
        Channels = channels;
        Data = data;
    }

    public int Width { get; }

    public int Height { get; }

    public string Channels { get; }

    public int ChannelCount => Data.Length / (Width * Height);

    /// <summary>Plane-major (CHW) values, nominally 0..1; models may overshoot, readers clamp.</summary>
    public float[] Data { get; }

    public float this[int channel, int x, int y] => Data[(channel * Height + y) * Width + x];

    /// <summary>The region [x, x+width) × [y, y+height) as its own planes.</summary>
    public PlanarImage Crop(int x, int y, int width, int height)
    {
        int count = ChannelCount;
        var data = new float[width * height * count];
        for (int c = 0; c < count; c++)
            for (int row = 0; row < height; row++)
                Array.Copy(Data, (c * Height + y + row) * Width + x, data, (c * height + row) * width, width);
        return new PlanarImage(width, height, Channels, data);
    }
}
