using EditorBridge.Engines;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Fills the hole of the work area: the painter's own selection when the daemon says which it was
/// (<see cref="EngineMask.Selected"/>), from everything around it, the grown band included.
/// <c>auto</c> (<see cref="AutoFill"/>) is a smooth membrane for the structure plus the fine detail of a
/// coarse-to-fine exemplar fill for the texture; the other methods are there to choose from: Telea or
/// Navier–Stokes for thin scratches on smooth areas, <c>exemplar</c> for the crispest copy.
/// </summary>
internal static class FillOperation
{
    public const string Name = "fill";

    /// <summary>
    /// The settings of <c>auto</c>'s exemplar fill (its texture source) beside the patch size and seed. Agreement 12 levels: the last round averages
    /// candidates that differ by sensor-noise amounts and copies where they differ by more (on the tuning
    /// pictures 12 and 1000 scored within 0.01 dB; smaller keeps more grain). One round on the finest level
    /// and two on the next instead of five (they start from the coarser levels' matches): under 0.1 dB less
    /// on the tuning pictures for about a third of the time. The finest level is not searched at all (its matches are the
    /// next level's, scaled up, and each hole pixel copies their consensus): auto takes only the copies' fine grain, which
    /// scaled-up matches carry; tuning pictures 19.84 / 0.550 → 19.84 / 0.549, held out 17.87 / 0.510 → 17.83 / 0.507,
    /// for about 30 % less time (docs/classic-engine.md).
    /// </summary>
    public static ExemplarFillOptions AutoOptions(int patchSize, ulong seed) =>
        new(PatchSize: patchSize, Seed: seed, Agreement: 12, FinestIterations: 1, SearchFinest: false);

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Fill the selection from its surroundings.",
        [
            new ParameterDescriptor("method", ParameterKind.Choice, "auto: smooth structure (a membrane over the hole) plus the fine texture of coarse-to-fine exemplar synthesis; telea/ns: OpenCV diffusion (smooth, for thin scratches); fsr: OpenCV frequency selective reconstruction; exemplar: texture synthesis, pure copies", FillMethod.Auto, Choices: FillMethod.All),
            new ParameterDescriptor("radius", ParameterKind.Number, "neighbourhood radius of the diffusion methods (telea, ns), pixels", 5.0, 1, 50),
            new ParameterDescriptor("texture", ParameterKind.Number, "auto only: strength of the copied fine detail on the smooth structure; 1 about as busy as the surroundings, 0 smooth (closest on average, least grain)", 1.0, 0, 2),
            new ParameterDescriptor("patch_size", ParameterKind.Integer, "patch side of exemplar synthesis, pixels (odd)", 7.0, 3, 21),
        ],
        RequiresMask: true,
        MaxWorkingSide: 2048);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var grown = request.Mask ?? throw new EngineInputException("mask", "fill needs a selection");
        var mask = OriginalHole(grown);
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
            FillMethod.Auto => await Task.Run(() => AutoFill.Fill(
                request.Image.Width, request.Image.Height, request.Image.Pixels, mask.Coverage,
                AutoOptions(request.Integer("patch_size") | 1, request.Seed),
                (done, total) => progress.Report(new EngineProgress(done, total, method)),
                cancellationToken, AutoFill.Strength * request.Number("texture")), cancellationToken),
            _ => await DiffusionFill.RunAsync(request.Image, mask, method, request.Number("radius"), cancellationToken),
        };
        progress.Report(new EngineProgress(1, 1, method));
        return new EngineOutput(new EngineImage(request.Image.Width, request.Image.Height, pixels), "cpu",
            ResolvedParameters: new Dictionary<string, object> { ["method"] = method });
    }

    // The daemon grows the selection to hide the seam; the grown band still holds the painter's pixels, and
    // filling from them (instead of throwing them away) is what keeps a grown fill as accurate as an ungrown one.
    // The band is answered with those same pixels, so the daemon's feather there blends like with like.
    private static EngineMask OriginalHole(EngineMask grown)
    {
        if (grown.Selected is not { } selected || !selected.AsSpan().ContainsAnyExcept((byte)0))
            return grown;
        var hole = new byte[selected.Length];
        for (int p = 0; p < hole.Length; p++)
            hole[p] = selected[p] != 0 && grown.Coverage[p] != 0 ? (byte)255 : (byte)0;
        return new EngineMask(grown.Width, grown.Height, hole);
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
