namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>The built-in style presets.</summary>
public static class StylePresets
{
    private const string CommonNegative = "lowres, blurry, jpeg artifacts, watermark, signature, text";

    public static IReadOnlyList<StylePreset> All { get; } =
    [
        new("none", "No style", StylePreset.Placeholder, ""),
        new("photo", "Photograph", "{prompt}, photograph, natural light, sharp focus, detailed, 35mm",
            $"painting, drawing, illustration, cartoon, anime, {CommonNegative}"),
        new("oil_painting", "Oil painting", "oil painting of {prompt}, visible brush strokes, impasto, canvas texture, rich colours",
            $"photo, photorealistic, 3d render, flat colours, {CommonNegative}"),
        new("watercolour", "Watercolour", "watercolour painting of {prompt}, soft washes, paper texture, bleeding edges, light palette",
            $"photo, 3d render, heavy outlines, oil paint, {CommonNegative}"),
        new("anime_line_art", "Anime line art", "anime line art of {prompt}, clean ink lines, cel shading, flat colours, illustration",
            $"photo, photorealistic, 3d render, sketchy, messy lines, {CommonNegative}"),
        new("pencil_sketch", "Pencil sketch", "pencil sketch of {prompt}, graphite, cross-hatching, monochrome, paper texture",
            $"colour, painting, photo, 3d render, {CommonNegative}"),
        new("pixel_art", "Pixel art", "pixel art of {prompt}, 16-bit, limited palette, crisp pixels, sprite",
            $"blurry, smooth gradients, photo, 3d render, anti-aliasing, {CommonNegative}"),
        new("concept_art", "Concept art", "concept art of {prompt}, digital painting, dramatic lighting, matte painting",
            $"photo, amateur, flat, {CommonNegative}"),
        new("ink_wash", "Ink wash", "ink wash painting of {prompt}, sumi-e, black ink, brush strokes, negative space",
            $"colour, photo, 3d render, {CommonNegative}"),
        new("3d_render", "3D render", "3d render of {prompt}, octane render, global illumination, soft shadows, high detail",
            $"painting, drawing, sketch, flat, {CommonNegative}"),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>Looks a preset up by name (case, spaces and hyphens ignored: "Oil painting" finds oil_painting).</summary>
    /// <exception cref="EngineInputException">Unknown name (field "style"), listing the known ones.</exception>
    public static StylePreset Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Key(name);
        return All.FirstOrDefault(p => Key(p.Name) == key)
            ?? throw new EngineInputException("style", $"unknown style '{name}'; known: {string.Join(", ", Names)}");
    }

    private static string Key(string name) =>
        new string(name.Trim().ToLowerInvariant().Select(c => c is ' ' or '-' ? '_' : c).ToArray())
            .Replace("watercolor", "watercolour", StringComparison.Ordinal);
}
