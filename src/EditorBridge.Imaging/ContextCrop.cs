namespace EditorBridge.Imaging;

/// <summary>
/// The one context rule: from a selection's bounding box, the result's bounds, the area the engine
/// sees and the crop of the layer a client must send to get the same pixels as with the whole
/// layer. GetInfo publishes it (<c>ContextRule</c>, and the exact rectangles for a selection); the
/// editors' crops are checked against it.
/// </summary>
public static class ContextCrop
{
    /// <summary>
    /// The margin around the result's bounds <paramref name="result"/>:
    /// <c>round(max(w, h) × percent / 100)</c> (half to even) clamped to [min, max] pixels.
    /// </summary>
    public static int Margin(PixelRect result, GeometrySettings settings)
    {
        double side = Math.Max(result.Width, result.Height);
        int margin = (int)Math.Round(side * settings.ContextMarginPercent / 100.0);
        return Math.Clamp(margin, settings.ContextMinPixels, settings.ContextMaxPixels);
    }

    /// <summary>The area the engine sees: <paramref name="result"/> grown by <see cref="Margin"/>, inside the layer.</summary>
    public static PixelRect Around(PixelRect result, PixelRect layer, GeometrySettings settings) =>
        result.Inflate(Margin(result, settings)).Intersect(layer);

    /// <summary>
    /// The bounds the work is planned on: the layer's own, or with <paramref name="outpaint"/> the
    /// bounding box of the layer and the selection's pixels <paramref name="selected"/> (the layer grows
    /// over the selection; <see cref="Raster.Extend"/> makes the new pixels transparent). Throws
    /// <see cref="ArgumentException"/> when an outpainting selection neither overlaps nor touches the
    /// layer (there would be nothing around it to fill from).
    /// </summary>
    public static PixelRect Canvas(PixelRect layer, PixelRect selected, bool outpaint)
    {
        if (!outpaint || selected.IsEmpty || layer.Contains(selected))
            return layer;
        if (selected.Inflate(1).Intersect(layer).IsEmpty)
            throw new ArgumentException($"selection {selected} neither overlaps nor touches the layer {layer}: there is nothing to extend from", nameof(selected));
        return layer.Union(selected);
    }

    /// <summary>
    /// Plans a selection whose pixels with coverage above zero span <paramref name="selected"/>, on a
    /// layer (or canvas) with bounds <paramref name="layer"/>. Throws <see cref="ArgumentException"/>
    /// when the selection is empty or does not touch the layer. With <c>Outpaint</c> the plan is made on
    /// <see cref="Canvas"/> and the crop to send is the part of it on the layer.
    /// </summary>
    public static ContextPlan Plan(PixelRect selected, PixelRect layer, GeometrySettings settings)
    {
        if (selected.IsEmpty)
            throw new ArgumentException($"selection {selected} is empty", nameof(selected));
        var canvas = Canvas(layer, selected, settings.Outpaint);
        var result = selected.Inflate(settings.GrowPixels).Intersect(canvas);
        if (result.IsEmpty)
            throw new ArgumentException($"selection {selected} is empty or outside the layer {layer}", nameof(selected));
        int margin = Margin(result, settings);
        // The soft edge (FeatheredBlend) must see that the pixels just outside the result are
        // unselected, so the crop reaches at least one pixel past it even with a zero margin.
        var crop = result.Inflate(Math.Max(margin, 1)).Intersect(canvas).Intersect(layer);
        return new ContextPlan(result, result.Inflate(margin).Intersect(canvas), crop, margin);
    }
}
