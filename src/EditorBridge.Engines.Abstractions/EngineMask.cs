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

    /// <summary>
    /// The painter's own selection before the daemon grew it (same size; nonzero = selected), or
    /// null when the whole of <see cref="Coverage"/> is to be regenerated. Where
    /// <see cref="Coverage"/> is set and this is not (the grown band), the work image holds the
    /// painter's pixels: an engine that fills from surroundings may use them as context, and its
    /// answer there is feather-blended with them. Engines that ignore it regenerate the whole
    /// grown area, as before.
    /// </summary>
    public byte[]? Selected
    {
        get;
        init
        {
            if (value is not null && value.Length != Coverage.Length)
                throw new ArgumentException($"expected {Coverage.Length} bytes for the selected area of a {Width}x{Height} mask, got {value.Length}", nameof(Selected));
            field = value;
        }
    }
}
