namespace EditorBridge.Engines.Classic;

/// <summary>The stylize presets, by their parameter value.</summary>
internal static class StylePreset
{
    public const string Auto = "auto";
    public const string Oil = "oil";
    public const string Watercolour = "watercolour";
    public const string Cartoon = "cartoon";
    public const string Pencil = "pencil";
    public const string Reference = "reference";

    public static readonly string[] All = [Auto, Oil, Watercolour, Cartoon, Pencil, Reference];
}
