using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Blends a pasted object layer (its alpha is its shape) into the background layer: seamless
/// (Poisson) clone with the object's colours matched at the seam. With a selection, only the
/// selected part of the object is blended.
/// </summary>
internal static class ComposeOperation
{
    public const string Name = "compose";

    public static readonly OperationDescriptor Descriptor = new(
        Name,
        "Blend a pasted object into the background so that it looks like it belongs.",
        [
            new ParameterDescriptor("method", ParameterKind.Choice, "seamless: Poisson clone (the object's detail, the background's light); mixed: keeps the background's texture where the object is flat; paste: colour match only", ComposeMethod.Seamless, Choices: ComposeMethod.All),
            new ParameterDescriptor("colour_match", ParameterKind.Number, "how far the object's colours move toward the background's at the seam: 0 = not at all, 1 = fully", 1.0, 0, 1),
        ],
        MaxWorkingSide: 4096,
        Inputs: [new InputDescriptor(InputDescriptor.Object, "the pasted object layer; its alpha is its shape", Required: true)]);

    public static async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        LayerCheck.NotAllTransparent(request.Image, "blend into");
        var layer = request.Input(InputDescriptor.Object)
            ?? throw new EngineInputException($"inputs.{InputDescriptor.Object}", "missing; compose needs the pasted object layer");
        var image = request.Image;
        if (layer.Width != image.Width || layer.Height != image.Height)
            throw new EngineInputException($"inputs.{InputDescriptor.Object}", $"{layer.Width}x{layer.Height} pixels for a {image.Width}x{image.Height} work area");
        var region = new byte[image.Width * image.Height];
        bool any = false;
        for (int p = 0; p < region.Length; p++)
        {
            if (layer.Pixels[p * 4 + 3] != 0 && (request.Mask is null || request.Mask.Coverage[p] != 0))
            {
                region[p] = 255;
                any = true;
            }
        }

        if (!any)
            throw new EngineInputException($"inputs.{InputDescriptor.Object}", request.Mask is null
                ? "every pixel of the object layer is fully transparent (alpha 0): there is nothing to blend in"
                : "the object layer is fully transparent inside the selection: there is nothing to blend in there");
        string method = request.Text("method");
        double colourMatch = request.Number("colour_match");
        progress.Report(new EngineProgress(0, 1, method));
        var pixels = await NativeCall.RunAsync(() =>
        {
            using var area = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC1, region);
            return PoissonCompose.Compose(image, layer, area, method, colourMatch);
        }, cancellationToken);
        progress.Report(new EngineProgress(1, 1, method));
        return new EngineOutput(new EngineImage(image.Width, image.Height, pixels), "cpu");
    }
}
