namespace EditorBridge.Engines;

/// <summary>
/// Pixels handed to and returned by engines: RGBA, 8 bits per channel, straight alpha,
/// row-major, no row padding (<c>Pixels.Length == Width * Height * 4</c>).
/// </summary>
public sealed class EngineImage
{
    public EngineImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 4))
            throw new ArgumentException($"expected {width * height * 4} bytes for {width}x{height} RGBA8, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }
}
