using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// Colorization (kind colorize): the model sees the picture at its own size (scaled to a fixed size, or
/// padded to its multiple) and answers chroma, as Lab a/b or as a colour picture whose a/b are taken.
/// The chroma is enlarged to the work area and joined to the layer's own lightness, so detail and
/// tone stay exactly the painter's; alpha is kept.
/// </summary>
internal static class ColorizeRun
{
    public const string Name = "colorize";

    public static OperationDescriptor Describe(IReadOnlyList<InstalledModel> models) => new(
        Name,
        "Colour a grey picture with a colorization model; lightness is kept.",
        [new ParameterDescriptor("saturation", ParameterKind.Number, "multiplies the model's colour strength (0 = grey, 1 = as the model says)", 1.0, 0, 2)])
    { Models = models.Select(m => m.Name).ToList() };

    public static EngineImage Run(InstalledModel model, InferenceSession session, EngineRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image;
        int width = image.Width, height = image.Height;
        var signature = model.Signature;
        var input = model.OptionalInput("luminance") ?? model.Input("image");
        var output = model.Output("chroma", "image");
        int modelWidth, modelHeight;
        byte[] fed;
        if (signature.FixedSize > 0)
        {
            (modelWidth, modelHeight) = (signature.FixedSize, signature.FixedSize);
            fed = PlaneResize.Rgba(image.Pixels, width, height, modelWidth, modelHeight);
        }
        else
        {
            (modelWidth, modelHeight) = new TileSettings(SizeMultiple: signature.SizeMultiple).ModelSize(width, height);
            fed = TiledRun.Pad(image.Pixels, width, height, modelWidth, modelHeight);
        }

        var answer = ModelPass.Picture(session, fed, modelWidth, modelHeight, input, output, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (signature.FixedSize <= 0)
            answer = answer.Crop(0, 0, width * answer.Width / modelWidth, height * answer.Height / modelHeight);
        var chroma = PlaneResize.Planes(answer.Channels == "ab" ? answer : Chroma(answer), width, height);
        return Join(image, chroma, request.Number("saturation"));
    }

    /// <summary>The a/b planes (normalised as "ab") of an RGB answer.</summary>
    private static PlanarImage Chroma(PlanarImage rgb)
    {
        int plane = rgb.Width * rgb.Height;
        var ab = new float[plane * 2];
        for (int p = 0; p < plane; p++)
        {
            var lab = CieLab.FromRgb(ImageTensors.ToByte(rgb.Data[p]), ImageTensors.ToByte(rgb.Data[plane + p]), ImageTensors.ToByte(rgb.Data[2 * plane + p]));
            ab[p] = (float)((lab.A + 128) / 256);
            ab[plane + p] = (float)((lab.B + 128) / 256);
        }

        return new PlanarImage(rgb.Width, rgb.Height, "ab", ab);
    }

    private static EngineImage Join(EngineImage image, PlanarImage chroma, double saturation)
    {
        int plane = image.Width * image.Height;
        var rgba = new byte[plane * 4];
        var source = image.Pixels;
        for (int p = 0; p < plane; p++)
        {
            double lightness = CieLab.Lightness(source[p * 4], source[p * 4 + 1], source[p * 4 + 2]);
            double a = (chroma.Data[p] * 256 - 128) * saturation, b = (chroma.Data[plane + p] * 256 - 128) * saturation;
            var (r, g, bl) = CieLab.ToRgb(lightness, a, b);
            rgba[p * 4] = r;
            rgba[p * 4 + 1] = g;
            rgba[p * 4 + 2] = bl;
            rgba[p * 4 + 3] = source[p * 4 + 3];
        }

        return new EngineImage(image.Width, image.Height, rgba);
    }
}
