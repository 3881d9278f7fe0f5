namespace EditorBridge.Engines.Classic;

/// <summary>The colorize modes and outputs, by their parameter values.</summary>
internal static class ColorizeMode
{
    public const string Auto = "auto";
    public const string LineArt = "line_art";
    public const string Photo = "photo";

    public static readonly string[] All = [Auto, LineArt, Photo];

    public const string InPlace = "in_place";
    public const string Flats = "flats";

    public static readonly string[] Outputs = [InPlace, Flats];
}
