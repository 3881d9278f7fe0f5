using EditorBridge.ModelStore.Ncnn;
using EditorBridge.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Engines.Onnx.Tests.Ncnn;

/// <summary>
/// The converter against a plain forward pass of the ncnn graph (<see cref="NcnnReference"/>) on a
/// crop of a real photo, for every family the package ships. Both run in float32 on the same
/// float16-stored weights, so they differ only by summation order: the tolerance, 2e-3 in 0..1, is
/// half an 8-bit level (1/255 ≈ 3.9e-3). A converter that transposes kernels or shifts PReLU slopes
/// is off by far more, and fails.
/// </summary>
public sealed class NcnnOracleTests
{
    internal const float Tolerance = 2e-3f;

    public static TheoryData<string, int> Models => new()
    {
        { "real-esrgan/models/realesr-animevideov3-x2.param", 20 },
        { "real-esrgan/models/realesr-animevideov3-x3.param", 20 },
        { "real-esrgan/models/realesr-animevideov3-x4.param", 20 },
        { "real-esrgan/models/realesrgan-x4plus-anime.param", 12 },
        { "real-cugan/models-se/up2x-conservative.param", 20 },
        { "real-cugan/models-se/up4x-no-denoise.param", 20 },
        { "waifu2x/models-cunet/noise1_scale2.0x_model.param", 12 },
        { "waifu2x/models-cunet/noise2_model.param", 12 },
        { "waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param", 20 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_converted_graph_agrees_with_a_plain_forward_pass(string model, int side)
    {
        var (converted, reference) = Answers(model, side, NcnnFault.None);

        Assert.Equal((reference.H, reference.W), (converted.H, converted.W));
        Assert.True(MaxDifference(converted, reference) <= Tolerance, $"{model}: largest difference {MaxDifference(converted, reference):g3}");
    }

    [Theory]
    [InlineData("real-esrgan/models/realesr-animevideov3-x4.param", nameof(NcnnFault.TransposedKernel))]
    [InlineData("real-esrgan/models/realesr-animevideov3-x4.param", nameof(NcnnFault.WrongPreluSlope))]
    [InlineData("waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param", nameof(NcnnFault.TransposedKernel))]
    public void A_broken_converter_fails_the_oracle(string model, string fault)
    {
        var (converted, reference) = Answers(model, 16, Enum.Parse<NcnnFault>(fault));

        Assert.True(MaxDifference(converted, reference) > 10 * Tolerance, $"{fault}: largest difference only {MaxDifference(converted, reference):g3}");
    }

    internal static (NcnnReference.Blob Converted, NcnnReference.Blob Reference) Answers(string model, int side, NcnnFault fault)
    {
        var path = NcnnPackage.Param(model);
        var layers = NcnnParam.Parse(File.ReadAllText(path));
        var bin = File.ReadAllBytes(Path.ChangeExtension(path, ".bin"));
        var rules = NcnnFamily.Of(path).Rules;
        var converted = NcnnToOnnx.Convert(layers, bin, rules, "test", fault);
        var input = Crop(TestPictures.Load("chelsea.png"), 120, 60, side);
        var reference = NcnnReference.Run(layers, bin, rules, converted.Geometry.Border, converted.Geometry.Scale, input);
        return (RunOnnx(converted.Onnx, input), reference);
    }

    internal static NcnnReference.Blob RunOnnx(byte[] onnx, NcnnReference.Blob input)
    {
        using var session = new InferenceSession(onnx);
        var tensor = new DenseTensor<float>(input.Data, [1, 3, input.H, input.W]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(NcnnToOnnx.InputName, tensor)]);
        var output = results.First().AsTensor<float>();
        var blob = new NcnnReference.Blob(3, output.Dimensions[2], output.Dimensions[3]);
        output.ToArray().CopyTo(blob.Data, 0);
        return blob;
    }

    /// <summary>A square of RGB in 0..1 (pixel ÷ 255, as the reference programs feed it).</summary>
    internal static NcnnReference.Blob Crop(RgbaPicture picture, int left, int top, int side)
    {
        var blob = new NcnnReference.Blob(3, side, side);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    blob.At(c, y, x) = picture.Rgba[((top + y) * picture.Width + left + x) * 4 + c] / 255f;
        return blob;
    }

    internal static float MaxDifference(NcnnReference.Blob a, NcnnReference.Blob b) =>
        a.Data.Length != b.Data.Length ? float.PositiveInfinity : a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Max();
}
