using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Restyles the selection or layer: painterly presets (oil, watercolour, cartoon, pencil) or "like
/// this reference" (colour statistics and detail level of a reference picture), mixed with the
/// original by <c>strength</c>.
/// </summary>
internal static class StylizeOperation
{
    public const string Name = "stylize";

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Restyle the selection or layer: a painterly preset, or like a reference picture.",
        [
            new ParameterDescriptor("preset", ParameterKind.Choice, "auto: reference when a reference picture is given, else watercolour; oil, watercolour, cartoon, pencil: painterly filters; reference: the colours and detail level of the reference picture", StylePreset.Auto, Choices: StylePreset.All),
            new ParameterDescriptor("strength", ParameterKind.Number, "how much of the style to apply: 0 = none, 1 = all", 1.0, 0, 1),
        ],
        MaxWorkingSide: 2048,
        Inputs: [new InputDescriptor(InputDescriptor.Reference, "a picture whose colours and detail level to follow (preset 'reference')", CanvasAligned: false)]);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        LayerCheck.NotAllTransparent(request.Image, "stylize");
        var reference = request.Input(InputDescriptor.Reference);
        string preset = request.Text("preset");
        if (preset == StylePreset.Auto)
            preset = reference is null ? StylePreset.Watercolour : StylePreset.Reference;
        if (preset == StylePreset.Reference && reference is null)
            throw new EngineInputException($"inputs.{InputDescriptor.Reference}", "missing; the 'reference' preset needs a reference picture");
        if (reference is not null)
            LayerCheck.NotAllTransparent(reference, "take a style from", $"inputs.{InputDescriptor.Reference}");
        double strength = request.Number("strength");
        var span = new ProgressSpan(progress, 0, 0.9, preset);
        span.Report(0);
        var image = request.Image;
        var pixels = await NativeCall.RunAsync(() => Stylize(image, reference, preset, strength, span), cancellationToken);
        span.Next(1, preset).Report(1);
        return new EngineOutput(new EngineImage(image.Width, image.Height, pixels), "cpu",
            ResolvedParameters: new Dictionary<string, object> { ["preset"] = preset });
    }

    private static byte[] Stylize(EngineImage image, EngineImage? reference, string preset, double strength, ProgressSpan span)
    {
        if (strength == 0)
            return (byte[])image.Pixels.Clone();
        using var bgr = RgbaMat.Bgr(image);
        span.Report(0.1);
        using var styled = preset switch
        {
            StylePreset.Oil => OilPaintFilter.Apply(bgr),
            StylePreset.Cartoon => CartoonFilter.Apply(bgr),
            StylePreset.Pencil => PencilFilter.Apply(bgr),
            StylePreset.Reference => FromReference(bgr, image, reference!),
            _ => WatercolourFilter.Apply(bgr),
        };
        span.Report(0.9);
        using var mixed = new Mat();
        Cv2.AddWeighted(styled, strength, bgr, 1 - strength, 0, mixed);
        return RgbaMat.ToRgba(mixed, image);
    }

    private static Mat FromReference(Mat bgr, EngineImage image, EngineImage reference)
    {
        using var referenceBgr = RgbaMat.Bgr(reference);
        // statistics of visible pixels only: transparent ones hold no colour
        using var alpha = RgbaMat.Alpha(image);
        using var referenceAlpha = RgbaMat.Alpha(reference);
        return ReferenceStyle.Apply(bgr, referenceBgr, alpha, referenceAlpha);
    }
}
