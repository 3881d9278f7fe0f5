using EditorBridge.Engines;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Fills the hole of the work area. Thin holes (scratches, wires, small spots) take OpenCV's
/// diffusion inpainting (Telea); wide holes take exemplar synthesis, which keeps texture where
/// diffusion goes blurry.
/// </summary>
internal static class FillOperation
{
    public const string Name = "fill";

    /// <summary>Holes whose widest point is at most this many pixels from their edge count as thin.</summary>
    public const double ThinHoleRadius = 6;

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Fill the selection from its surroundings.",
        [
            new ParameterDescriptor("method", ParameterKind.Choice, "auto: telea for thin holes, exemplar for wide ones; telea/ns: OpenCV diffusion; fsr: OpenCV frequency selective reconstruction; exemplar: texture synthesis", FillMethod.Auto, Choices: FillMethod.All),
            new ParameterDescriptor("radius", ParameterKind.Number, "neighbourhood radius of the diffusion methods (telea, ns), pixels", 5.0, 1, 50),
            new ParameterDescriptor("patch_size", ParameterKind.Integer, "patch side of exemplar synthesis, pixels (odd)", 7.0, 3, 21),
        ],
        RequiresMask: true,
        MaxWorkingSide: 2048);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var mask = request.Mask ?? throw new EngineInputException("mask", "fill needs a selection");
        var method = request.Text("method");
        if (method == FillMethod.Auto)
            method = HoleShape.InscribedRadius(mask) <= ThinHoleRadius ? FillMethod.Telea : FillMethod.Exemplar;
        if (method == FillMethod.Exemplar && !mask.Coverage.AsSpan().Contains((byte)0))
            throw new EngineInputException("mask", "the selection (after growing) covers the whole layer: exemplar synthesis has no pixels to copy from; select less, or use method telea or ns");
        progress.Report(new EngineProgress(0, 1, method));
        var pixels = method switch
        {
            FillMethod.Exemplar => await Task.Run(() => ExemplarFill.Fill(
                request.Image.Width, request.Image.Height, request.Image.Pixels, mask.Coverage,
                new ExemplarFillOptions(PatchSize: request.Integer("patch_size") | 1, Seed: request.Seed),
                (done, total) => progress.Report(new EngineProgress(done, total, method)),
                cancellationToken), cancellationToken),
            FillMethod.Frequency => await FrequencyFill.RunAsync(request.Image, mask, cancellationToken),
            _ => await DiffusionFill.RunAsync(request.Image, mask, method, request.Number("radius"), cancellationToken),
        };
        progress.Report(new EngineProgress(1, 1, method));
        return new EngineOutput(new EngineImage(request.Image.Width, request.Image.Height, pixels), "cpu",
            ResolvedParameters: new Dictionary<string, object> { ["method"] = method });
    }
}
