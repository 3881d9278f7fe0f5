using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Fast neural style (kind style → operation stylize): one model per style, chosen by the parameter
/// "style" or the request's model. The picture goes through in tiles of the model's size with blended
/// overlaps, then is mixed with the original by "strength"; alpha is kept.
/// </summary>
internal static class StyleRun
{
    public const string Name = "stylize";

    public static OperationDescriptor Describe(IReadOnlyList<InstalledModel> models) => new(
        Name,
        "Repaint the picture in the style of an installed fast-neural-style model.",
        [
            new ParameterDescriptor("style", ParameterKind.Choice, "the installed style model to paint with (the request's model, when it names one, wins)", models[0].Name, Choices: models.Select(m => m.Name).ToList()),
            new ParameterDescriptor("strength", ParameterKind.Number, "how much of the style to apply: 0 = none, 1 = all", 1.0, 0, 1),
        ])
    { Models = models.Select(m => m.Name).ToList() };

    public static async Task<EngineImage> RunAsync(InstalledModel model, InferenceSession session, EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var signature = model.Signature;
        var input = model.Input("image");
        var output = model.Output("image");
        var settings = new TileSettings(signature.Tile, signature.TileOverlap, 1, signature.FixedSize, signature.SizeMultiple);
        var styled = await TiledRun.RunAsync(
            image.Pixels,
            image.Width,
            image.Height,
            settings,
            ModelPass.Tiles(session, input, output),
            ModelPass.ProgressOf(progress),
            cancellationToken);
        double strength = request.Number("strength");
        var source = image.Pixels;
        for (int i = 0; i < styled.Length; i += 4)
        {
            for (int c = 0; c < 3; c++)
                styled[i + c] = (byte)Math.Round(source[i + c] + (styled[i + c] - source[i + c]) * strength);
            styled[i + 3] = source[i + 3];
        }

        return new EngineImage(image.Width, image.Height, styled);
    }
}
