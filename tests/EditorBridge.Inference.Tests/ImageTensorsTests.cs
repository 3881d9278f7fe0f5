using EditorBridge.Inference;
using EditorBridge.ModelStore;
using EditorBridge.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Inference.Tests;

public sealed class ImageTensorsTests
{
    private static readonly RgbaPicture Photo = TestPictures.Load("astronaut.png").Crop(100, 60, 37, 23);

    public static TheoryData<string, string, double, double> Descriptions => new()
    {
        { "float32", "rgb", 0, 1 },
        { "float32", "bgr", -1, 1 },
        { "float16", "rgb", 0, 255 },
        { "uint8", "bgr", 0, 255 },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Pixels_survive_a_round_trip_through_a_tensor(string dataType, string channels, double low, double high)
    {
        var description = new TensorDescription("x", "image", [1, 3, -1, -1], dataType, [low, high], channels);

        using var tensor = ImageTensors.FromRgba(Photo.Rgba, Photo.Width, Photo.Height, description);
        var back = ImageTensors.ToRgba(ImageTensors.ToPlanar(tensor, description), ImageTensors.Alpha(Photo.Rgba));

        Assert.Equal([1L, 3, Photo.Height, Photo.Width], tensor.GetTensorTypeAndShape().Shape);
        Assert.Equal(Photo.Rgba, back);
    }

    [Fact]
    public void Bgr_order_range_and_imagenet_normalisation_land_where_the_description_says()
    {
        var description = new TensorDescription("x", "image", [1, 3, -1, -1], "float32", [0, 1], "bgr", Mean: [0.406, 0.456, 0.485], Std: [0.225, 0.224, 0.229]);
        byte[] pixel = [200, 100, 50, 7];

        using var tensor = ImageTensors.FromRgba(pixel, 1, 1, description);
        var values = tensor.GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal((50 / 255.0 - 0.406) / 0.225, values[0], 5);
        Assert.Equal((100 / 255.0 - 0.456) / 0.224, values[1], 5);
        Assert.Equal((200 / 255.0 - 0.485) / 0.229, values[2], 5);
    }

    [Fact]
    public void Float16_tensors_hold_half_precision_values()
    {
        var description = new TensorDescription("x", "image", [1, 3, -1, -1], "float16", [-1, 1]);

        using var tensor = ImageTensors.FromRgba(new byte[] { 255, 0, 128, 255 }, 1, 1, description);

        Assert.Equal(TensorElementType.Float16, tensor.GetTensorTypeAndShape().ElementDataType);
        var values = tensor.GetTensorDataAsSpan<Float16>().ToArray().Select(v => (float)v).ToArray();
        Assert.Equal([1f, -1f, 128 / 255f * 2 - 1], values, new Tolerance(1e-3f));
    }

    [Fact]
    public void Lightness_and_masks_become_single_planes()
    {
        var lightness = new TensorDescription("l", "luminance", [1, 1, -1, -1], Range: [0, 100], Channels: "l", Mean: [50]);
        var mask = new TensorDescription("m", "mask", [1, 1, -1, -1], Channels: "l");

        using var l = ImageTensors.FromRgba(new byte[] { 255, 255, 255, 255, 0, 0, 0, 255 }, 2, 1, lightness);
        using var m = ImageTensors.FromCoverage(new byte[] { 0, 255 }, 2, 1, mask);

        Assert.Equal([50f, -50f], l.GetTensorDataAsSpan<float>().ToArray(), new Tolerance(0.01f));
        Assert.Equal([0f, 1f], m.GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([0, 255], ImageTensors.ToCoverage(ImageTensors.ToPlanar(m, mask)));
    }

    [Fact]
    public void An_output_with_fewer_channels_than_described_is_refused_naming_it()
    {
        var description = new TensorDescription("out", "image", [1, 3, -1, -1]);
        using var grey = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 1, 2, 2]);

        var error = Assert.Throws<InvalidDataException>(() => ImageTensors.ToPlanar(grey, description));

        Assert.Contains("'out'", error.Message);
        Assert.Contains("1 channel", error.Message);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
