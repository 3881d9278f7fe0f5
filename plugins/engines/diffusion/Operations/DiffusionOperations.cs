using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Schedulers;
using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Operations;

/// <summary>The operations the installed diffusion models serve, with the parameters a painter sets.</summary>
internal static class DiffusionOperations
{
    public const string Generate = "generate";
    public const string Fill = "fill";
    public const string Restore = "restore";
    public const string Stylize = "stylize";
    public const string Compose = "compose";
    public const string Colorize = "colorize";
    public const string DefaultScheduler = "dpmpp_2m_karras";

    public static IReadOnlyList<OperationDescriptor> For(IReadOnlyList<InstalledDiffusionModel> models)
    {
        if (models.Count == 0)
            return [];
        var all = models.Select(m => m.Name).ToList();
        var control = ControlLayers(models);
        var inpaintingFirst = models.OrderByDescending(m => m.Inpainting).Select(m => m.Name).ToList();
        var operations = new List<OperationDescriptor>
        {
            Operation(Generate, "Paint a new picture from the prompt over the whole layer.", [.. control.Parameters], models[0], all, inputs: control.Inputs),
            Operation(Fill, "Repaint the selection from the prompt so that it fits its surroundings.", [Strength(1.0, "1 = paint the hole anew; lower keeps more of what is there"), .. control.Parameters], Side(models, inpaintingFirst), inpaintingFirst, requiresMask: true, inputs: control.Inputs),
            Operation(Restore, "Redraw the layer (or selection) lightly: removes noise, blur and damage, keeping the picture.", [Strength(0.3, "how much may change: 0.2–0.4 restores, higher repaints"), .. control.Parameters], models[0], all, inputs: control.Inputs),
            Operation(Stylize, "Repaint the layer (or selection) in a style: the style preset and the prompt say which.", [Strength(0.6, "how far the picture may move toward the style"), .. control.Parameters], models[0], all, style: "oil_painting", inputs: control.Inputs),
            Operation(Compose, "Blend a pasted object into the background: the seam around it is repainted lightly.",
                [Strength(0.35, "how much the seam may change"), new ParameterDescriptor("seam_width", ParameterKind.Integer, "width of the repainted band around the object's edge, pixels", 24.0, 2, 256), .. control.Parameters],
                models[0], all, inputs: [new InputDescriptor(InputDescriptor.Object, "the pasted object layer; its alpha is its shape", Required: true), .. control.Inputs]),
        };
        var colorizing = models.Where(m => m.HasControlNet).ToList();
        if (colorizing.Count > 0)
        {
            operations.Add(Operation(Colorize, "Colour a line-art sketch (dark lines on light paper) following the prompt; the lines stay.",
                [
                    Strength(1.0, "1 = colour from scratch; lower keeps more of the layer's own colours"),
                    new ParameterDescriptor("line_strength", ParameterKind.Number, "how strictly the colours follow the lines (the ControlNet's weight)", 1.0, 0, 2),
                    new ParameterDescriptor("keep_ink", ParameterKind.Boolean, "put the original lines back on top (darken), so the ink stays exactly as drawn", true),
                ],
                colorizing[0], colorizing.Select(m => m.Name).ToList()));
        }

        return operations;
    }

    // The control layers some installed model can take (one optional canvas-aligned input per type), and their weight.
    private static (IReadOnlyList<InputDescriptor> Inputs, IReadOnlyList<ParameterDescriptor> Parameters) ControlLayers(IReadOnlyList<InstalledDiffusionModel> models)
    {
        var types = ControlTypes.All.Where(t => models.Any(m => m.ControlTypes.Contains(t))).ToList();
        if (types.Count == 0)
            return ([], []);
        var inputs = types.Select(t => new InputDescriptor(ControlTypes.InputName(t), $"{ControlTypes.Describe(t)}; needs a model with a {t} ControlNet ({string.Join(", ", models.Where(m => m.ControlTypes.Contains(t)).Select(m => m.Name))})")).ToList();
        return (inputs, [new ParameterDescriptor(DiffusionJob.ControlStrength, ParameterKind.Number, "how strictly the picture follows the control layers (their ControlNets' weight)", 1.0, 0, 2)]);
    }

    private static OperationDescriptor Operation(string name, string description, IReadOnlyList<ParameterDescriptor> own, InstalledDiffusionModel model, IReadOnlyList<string> models,
        bool requiresMask = false, string style = "none", IReadOnlyList<InputDescriptor>? inputs = null) =>
        new(name, description, [.. own, .. Common(style)], requiresMask, model.MaxWorkingSide, SizeMultiple: 8, inputs) { Models = models };

    private static InstalledDiffusionModel Side(IReadOnlyList<InstalledDiffusionModel> models, IReadOnlyList<string> order) => models.First(m => m.Name == order[0]);

    private static ParameterDescriptor Strength(double value, string description) =>
        new("strength", ParameterKind.Number, description, value, 0, 1);

    private static IReadOnlyList<ParameterDescriptor> Common(string style) =>
    [
        new("steps", ParameterKind.Integer, "denoising steps: more is slower and finer (25–30 usual; LCM and Turbo models 2–8)", 25.0, 1, 150),
        new("guidance", ParameterKind.Number, "how closely to follow the prompt (classifier-free guidance); 1 ignores the negative prompt and runs about twice as fast", 7.5, 1, 20),
        new("scheduler", ParameterKind.Choice, "the sampler: dpmpp_2m_karras sharp in few steps, euler_a varied, ddim steady, euler plain, lcm for LCM models", DefaultScheduler, Choices: SchedulerFactory.Names),
        new("style", ParameterKind.Choice, "a style preset wrapped around the prompt", style, Choices: StylePresets.Names),
        new("tags", ParameterKind.Text, "labels added to the prompt, comma separated; a weight after a colon (red_hair, smile:1.2)", ""),
    ];
}
