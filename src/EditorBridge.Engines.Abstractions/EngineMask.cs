namespace EditorBridge.Engines;

/// <summary>
/// The area an engine must fill or work on, the same size as the work image: 255 = regenerate,
/// 0 = keep (known pixels). The daemon hands engines a hard mask; soft edges are its blending.
/// </summary>
public sealed class EngineMask
{
    public EngineMask(int width, int height, byte[] coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.Length != checked(width * height))
            throw new ArgumentException($"expected {width * height} bytes for a {width}x{height} mask, got {coverage.Length}", nameof(coverage));
        Width = width;
        Height = height;
        Coverage = coverage;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Coverage { get; }
}
