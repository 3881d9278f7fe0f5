namespace EditorBridge.Imaging;

/// <summary>Layer pixel formats on the wire: RGBA, straight alpha, row-major.</summary>
public enum PixelFormat
{
    /// <summary>8 bits per channel.</summary>
    Rgba8,

    /// <summary>16 bits per channel, little-endian.</summary>
    Rgba16,
}
