namespace EditorBridge.Imaging;

public static class PixelFormatInfo
{
    public static int BytesPerPixel(this PixelFormat format) => format switch
    {
        PixelFormat.Rgba8 => 4,
        PixelFormat.Rgba16 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    public static string DisplayName(this PixelFormat format) => format switch
    {
        PixelFormat.Rgba8 => "RGBA8",
        PixelFormat.Rgba16 => "RGBA16",
        _ => format.ToString(),
    };
}
