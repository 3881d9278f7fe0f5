using EditorBridge.Engines;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Fills the hole of the work area. <c>auto</c> blends Navier–Stokes, frequency reconstruction
/// and exemplar synthesis (<see cref="BlendFill"/>), weighted by <c>texture</c>; the single methods
/// are there to choose from: Telea for scratches, exemplar for crisp texture.
/// </summary>
internal static class FillOperation
{
    public const string Name = "fill";

    /// <summary>Equal thirds: the blend measured best on PSNR over the test photos (docs/classic-engine.md).</summary>
    public const double DefaultTexture = 1.0 / 3;

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Fill the selection from its surroundings.",
        [
            new ParameterDescriptor("method", ParameterKind.Choice, "auto: a blend of ns, fsr and exemplar (see texture), the most accurate on photos; telea/ns: OpenCV diffusion; fsr: OpenCV frequency selective reconstruction; exemplar: texture synthesis", FillMethod.Auto, Choices: FillMethod.All),
            new ParameterDescriptor("radius", ParameterKind.Number, "neighbourhood radius of the diffusion methods (telea, ns), pixels", 5.0, 1, 50),
            new ParameterDescriptor("patch_size", ParameterKind.Integer, "patch side of exemplar synthesis, pixels (odd)", 7.0, 3, 21),
            new ParameterDescriptor("texture", ParameterKind.Number, "auto only: share of exemplar synthesis in the blend; 0 = smoothest and most accurate on average, 1 = pure copied texture", DefaultTexture, 0, 1),
        ],
        RequiresMask: true,
        MaxWorkingSide: 2048);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var mask = request.Mask ?? throw new EngineInputException("mask", "fill needs a selection");
        CheckKnownPixels(request.Image, mask);
        var method = request.Text("method");

        progress.Report(new EngineProgress(0, 1, method));
        var pixels = method switch
        {
            FillMethod.Exemplar => await Task.Run(() => ExemplarFill.Fill(
                request.Image.Width, request.Image.Height, request.Image.Pixels, mask.Coverage,
                new ExemplarFillOptions(PatchSize: request.Integer("patch_size") | 1, Seed: request.Seed),
                (done, total) => progress.Report(new EngineProgress(done, total, method)),
                cancellationToken), cancellationToken),
            FillMethod.Frequency => await FrequencyFill.RunAsync(request.Image, mask, cancellationToken),
            FillMethod.Auto => await BlendFill.RunAsync(request.Image, mask, request.Number("texture"),
                new ExemplarFillOptions(PatchSize: request.Integer("patch_size") | 1, Seed: request.Seed),
                (done, total) => progress.Report(new EngineProgress(done, total, method)),
                cancellationToken),
            _ => await DiffusionFill.RunAsync(request.Image, mask, method, request.Number("radius"), cancellationToken),
        };
        progress.Report(new EngineProgress(1, 1, method));
        if (method == FillMethod.Auto)
            method = request.Number("texture") > 0 ? "ns+fsr+exemplar" : "ns+fsr";
        return new EngineOutput(new EngineImage(request.Image.Width, request.Image.Height, pixels), "cpu",
            ResolvedParameters: new Dictionary<string, object> { ["method"] = method });
    }

    // Filling needs pixels to fill from: some outside the hole, and not all of them transparent.
    private static void CheckKnownPixels(EngineImage image, EngineMask mask)
    {
        bool anyKnown = false;
        for (int p = 0; p < mask.Coverage.Length; p++)
        {
            if (mask.Coverage[p] != 0)
                continue;
            anyKnown = true;
            if (image.Pixels[p * 4 + 3] != 0)
                return;
        }

        throw anyKnown
            ? new EngineInputException("layer", "every pixel around the selection is fully transparent (alpha 0): there is nothing to fill from")
            : new EngineInputException("mask", "the selection covers the whole layer: there are no pixels around it to fill from; select less");
    }
}
