namespace EditorBridge.Engines.Classic;

/// <summary>Refusals every operation shares, with the request field named.</summary>
internal static class LayerCheck
{
    /// <summary>Refuses a work area whose pixels are all fully transparent: there is nothing to work on.</summary>
    public static void NotAllTransparent(EngineImage image, string operation, string field = "layer")
    {
        var pixels = image.Pixels;
        for (int p = 3; p < pixels.Length; p += 4)
        {
            if (pixels[p] != 0)
                return;
        }

        throw new EngineInputException(field, $"every pixel is fully transparent (alpha 0): there is nothing to {operation}");
    }
}
