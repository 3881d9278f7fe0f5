namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// Control layers: the painter picks a layer as line art, scribble or depth guide (request input
/// <c>control_TYPE</c>), and the ControlNet of that type steers the picture. A model folder holds one
/// ControlNet per type as <c>controlnet_TYPE/model.onnx</c> (the diffusers ControlNet graph: sample,
/// timestep, encoder_hidden_states, controlnet_cond → the residuals, fed in order to a ControlNet-ready
/// UNet); the folder's plain <c>controlnet/</c> (colorize's) serves line art when there is no
/// <c>controlnet_lineart/</c>.
/// </summary>
internal static class ControlTypes
{
    public const string LineArt = "lineart";
    public const string Scribble = "scribble";
    public const string Depth = "depth";

    public static IReadOnlyList<string> All { get; } = [LineArt, Scribble, Depth];

    /// <summary>The request input that carries a control layer of <paramref name="type"/>.</summary>
    public static string InputName(string type) => $"control_{type}";

    /// <summary>The folder of a type's own ControlNet.</summary>
    public static string Component(string type) => $"controlnet_{type}";

    /// <summary>The component serving <paramref name="type"/> in a model folder, or null when none does.</summary>
    public static string? ComponentFor(string folder, string type)
    {
        if (File.Exists(DiffusionLayout.GraphPath(folder, Component(type))))
            return Component(type);
        return type == LineArt && File.Exists(DiffusionLayout.GraphPath(folder, DiffusionLayout.ControlNet)) ? DiffusionLayout.ControlNet : null;
    }

    /// <summary>Every ControlNet folder present (<c>controlnet/</c> and <c>controlnet_TYPE/</c>), for the model check.</summary>
    public static IReadOnlyList<string> Folders(string folder) =>
        new[] { DiffusionLayout.ControlNet }.Concat(All.Select(Component)).Where(c => Directory.Exists(Path.Combine(folder, c))).ToList();

    public static string Describe(string type) => type switch
    {
        LineArt => "a line-art layer the picture follows (dark lines on light paper or on transparency, as drawn)",
        Scribble => "a scribble layer the picture follows loosely (strokes thresholded to white on black)",
        _ => "a depth layer you painted: white = near, black or transparent = far",
    };
}
