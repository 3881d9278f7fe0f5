namespace EditorBridge.Imaging;

/// <summary>What <see cref="ContextCrop.Plan"/> answers for one selection, in canvas coordinates.</summary>
/// <param name="Result">The result's bounds: the selection's bounding box grown by <c>GrowPixels</c>, inside the layer.</param>
/// <param name="Context">The area the engine sees: <paramref name="Result"/> grown by <paramref name="Margin"/>, inside the layer.</param>
/// <param name="Crop">
/// The part of the layer a client must send: <paramref name="Result"/> grown by max(<paramref name="Margin"/>, 1),
/// inside the layer. Any crop containing it gives the same result pixels as the whole layer.
/// </param>
/// <param name="Margin">The context margin in pixels.</param>
public readonly record struct ContextPlan(PixelRect Result, PixelRect Context, PixelRect Crop, int Margin);
