namespace EditorBridge.Imaging;

/// <summary>Picks the work area around a selection: its bounding box plus a margin, inside the layer.</summary>
public static class ContextCrop
{
    public static PixelRect Around(PixelRect selection, PixelRect layer, GeometrySettings settings)
    {
        double side = Math.Max(selection.Width, selection.Height);
        int margin = (int)Math.Round(side * settings.ContextMarginPercent / 100.0);
        margin = Math.Clamp(margin, settings.ContextMinPixels, settings.ContextMaxPixels);
        return selection.Inflate(margin).Intersect(layer);
    }
}
