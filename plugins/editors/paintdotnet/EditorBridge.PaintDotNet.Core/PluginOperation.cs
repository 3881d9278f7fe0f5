namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The entries of Paint.NET's Effects > EditorBridge menu. Compose takes its object from the
/// clipboard (an effect reads only the active layer). Select Subject (segment) is left out: its
/// answer is a selection, and an effect can only write pixels; Paint.NET's public API gives a
/// plugin no way to set the selection (docs/paintdotnet.md).
/// </summary>
public sealed record PluginOperation(string Name, string MenuName, string Description)
{
    public const string SubmenuName = "EditorBridge";

    public static readonly PluginOperation Fill = new("fill", "Fill", "Fill the selection from its surroundings (or from a prompt).");
    public static readonly PluginOperation Colorize = new("colorize", "Colorize", "Colour a sketch or greyscale layer inside the selection.");
    public static readonly PluginOperation Restore = new("restore", "Restore", "Denoise and sharpen a damaged or blurry photo inside the selection.");
    public static readonly PluginOperation Stylize = new("stylize", "Stylize", "Restyle the selection with a preset or a prompt.");
    public static readonly PluginOperation Generate = new("generate", "Generate", "Paint a new picture from a prompt into the selection.");
    public static readonly PluginOperation Compose = new("compose", "Compose", "Blend the picture on the clipboard into the layer so that it looks like it belongs.");

    public static IReadOnlyList<PluginOperation> All { get; } = [Fill, Colorize, Restore, Stylize, Generate, Compose];

    /// <summary>Operations whose results differ by seed: the dialog can run several and show them to pick from.</summary>
    public bool CanCount => Name is "fill" or "stylize" or "colorize" or "generate";
}
