namespace EditorBridge.Imaging;

/// <summary>
/// How the work area is cut around a selection and how the result is blended back.
/// Validated on construction through <see cref="Validate"/>. <c>Outpaint</c>: the selection may reach
/// past the layer's edges, which grow to hold it (<see cref="ContextCrop.Canvas"/>).
/// </summary>
public sealed record GeometrySettings(
    double ContextMarginPercent = 40,
    int ContextMinPixels = 32,
    int ContextMaxPixels = 512,
    int GrowPixels = 4,
    int FeatherPixels = 4,
    bool Outpaint = false)
{
    public static GeometrySettings Default { get; } = new();

    public const int MaxEdgePixels = 256;

    /// <summary>Returns the first invalid field and why, or null when every field is valid.</summary>
    public (string Field, string Message)? Validate()
    {
        if (!double.IsFinite(ContextMarginPercent) || ContextMarginPercent < 0 || ContextMarginPercent > 400)
            return ("context_margin_percent", $"{ContextMarginPercent} is outside 0..400");
        if (ContextMinPixels < 0 || ContextMinPixels > 4096)
            return ("context_min_pixels", $"{ContextMinPixels} is outside 0..4096");
        if (ContextMaxPixels < ContextMinPixels || ContextMaxPixels > 8192)
            return ("context_max_pixels", $"{ContextMaxPixels} must be in context_min_pixels ({ContextMinPixels})..8192");
        if (GrowPixels < 0 || GrowPixels > MaxEdgePixels)
            return ("grow_pixels", $"{GrowPixels} is outside 0..{MaxEdgePixels}");
        if (FeatherPixels < 0 || FeatherPixels > MaxEdgePixels)
            return ("feather_pixels", $"{FeatherPixels} is outside 0..{MaxEdgePixels}");
        return null;
    }
}
