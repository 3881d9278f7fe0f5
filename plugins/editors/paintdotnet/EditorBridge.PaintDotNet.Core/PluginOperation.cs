namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The entries of Paint.NET's Effects > EditorBridge menu. Compose (two layers in) and segment (a
/// selection out) do not fit an effect: an effect gets one layer and writes pixels, and the job
/// contract carries one layer, so they are left out.
/// </summary>
public sealed record PluginOperation(string Name, string MenuName, string Description)
{
    public const string SubmenuName = "EditorBridge";

    public static readonly PluginOperation Fill = new("fill", "Fill", "Fill the selection from its surroundings (or from a prompt).");
    public static readonly PluginOperation Colorize = new("colorize", "Colorize", "Colour a sketch or greyscale layer inside the selection.");
    public static readonly PluginOperation Restore = new("restore", "Restore", "Denoise and sharpen a damaged or blurry photo inside the selection.");
    public static readonly PluginOperation Stylize = new("stylize", "Stylize", "Restyle the selection with a preset or a prompt.");
    public static readonly PluginOperation Generate = new("generate", "Generate", "Paint a new picture from a prompt into the selection.");

    public static IReadOnlyList<PluginOperation> All { get; } = [Fill, Colorize, Restore, Stylize, Generate];
}
