namespace EditorBridge.Engines.Classic;

/// <summary>
/// Colours line art (flats under the ink, from hints or one colour per region) or a grey photo
/// (from hints, a reference's palette, or a sepia tone), keeping the ink and the luminance.
/// </summary>
internal static class ColorizeOperation
{
    public const string Name = "colorize";

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Colour line art or a grey photo from colour hints (or a reference picture).",
        [
            new ParameterDescriptor("mode", ParameterKind.Choice, "auto: line art when the layer is mostly paper with dark lines, else photo; line_art: flat colours under the lines; photo: colour spread along the picture's regions, luminance kept", ColorizeMode.Auto, Choices: ColorizeMode.All),
            new ParameterDescriptor("output", ParameterKind.Choice, "line art only. in_place: the coloured layer, lines kept exactly; flats: the flat colours alone, to put under the line art", ColorizeMode.InPlace, Choices: ColorizeMode.Outputs),
            new ParameterDescriptor("ink_threshold", ParameterKind.Number, "line art only: how dark (0..1, over white) a pixel must be to count as ink and be kept", 0.5, 0.05, 1),
            new ParameterDescriptor("gap", ParameterKind.Integer, "line art only: gaps in lines up to this many pixels count as closed", 4.0, 0, 32),
        ],
        Inputs:
        [
            new InputDescriptor(InputDescriptor.Hints, "colour hints or scribbles over the layer: each pixel at least half opaque gives its colour to the region under it"),
            new InputDescriptor(InputDescriptor.Reference, "photo mode without hints: a picture whose palette to use", CanvasAligned: false),
        ]);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        LayerCheck.NotAllTransparent(image, "colorize");
        var hints = request.Input(InputDescriptor.Hints);
        if (hints is not null && (hints.Width != image.Width || hints.Height != image.Height))
            throw new EngineInputException($"inputs.{InputDescriptor.Hints}", $"{hints.Width}x{hints.Height} pixels for a {image.Width}x{image.Height} work area");
        var reference = request.Input(InputDescriptor.Reference);
        if (reference is not null)
            LayerCheck.NotAllTransparent(reference, "take colours from", $"inputs.{InputDescriptor.Reference}");
        var seeds = hints is null ? null : HintSeeds.Read(hints);
        string mode = request.Text("mode");
        if (mode == ColorizeMode.Auto)
            mode = InkMap.LooksLikeLineArt(image) ? ColorizeMode.LineArt : ColorizeMode.Photo;
        var span = new ProgressSpan(progress, 0, 0.95, mode);
        span.Report(0);
        double threshold = request.Number("ink_threshold");
        int gap = request.Integer("gap");
        bool inPlace = request.Text("output") == ColorizeMode.InPlace;
        // the job ends at cancel; the work notices the token between its steps and stops soon after
        var (pixels, source) = await NativeCall.RunAsync(() => mode == ColorizeMode.LineArt
            ? LineArtColorizer.Colorize(image, seeds, threshold, gap, inPlace, cancellationToken, span.Report)
            : PhotoColorizer.Colorize(image, seeds, reference, cancellationToken, span.Report), cancellationToken);
        span.Next(1, mode).Report(1);
        return new EngineOutput(new EngineImage(image.Width, image.Height, pixels), "cpu",
            ResolvedParameters: new Dictionary<string, object> { ["mode"] = mode, ["source"] = source });
    }
}
