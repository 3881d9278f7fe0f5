using EditorBridge.Inference;
using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Inference.Tests;

public sealed class TiledRunTests
{
    private static readonly TensorDescription Rgb = new("x", "image", [1, 3, -1, -1]);

    public static TheoryData<int, int, TileSettings> Layouts => new()
    {
        { 100, 70, new TileSettings(Tile: 32, Overlap: 8) },
        { 100, 70, new TileSettings(Overlap: 12, FixedSize: 40) },
        { 33, 17, new TileSettings(FixedSize: 64) },
        { 90, 50, new TileSettings(Tile: 40, Overlap: 10, SizeMultiple: 16) },
        { 64, 64, new TileSettings() },
    };

    /// <summary>A model that answers its input: whatever the tiling, the picture must come back exactly.</summary>
    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task An_identity_model_gives_the_picture_back_exactly_whatever_the_tiles(int width, int height, TileSettings settings)
    {
        var picture = TestPictures.Load("chelsea.png").Crop(30, 20, width, height);
        var sizes = new List<(int, int)>();

        var result = await TiledRun.RunAsync(picture.Rgba, width, height, settings, (tile, _) =>
        {
            sizes.Add((tile.Width, tile.Height));
            using var tensor = ImageTensors.FromRgba(tile.Rgba, tile.Width, tile.Height, Rgb);
            return Task.FromResult(ImageTensors.ToPlanar(tensor, Rgb));
        }, null, CancellationToken.None);

        for (int p = 0; p < width * height; p++)
            Assert.True(result.AsSpan(p * 4, 3).SequenceEqual(picture.Rgba.AsSpan(p * 4, 3)), $"pixel {p % width},{p / width} changed");
        Assert.All(sizes, s => Assert.Equal(settings.ModelSize(Math.Min(width, settings.Side > 0 ? settings.Side : width), Math.Min(height, settings.Side > 0 ? settings.Side : height)), s));
    }

    [Fact]
    public async Task Tiled_upscale_equals_the_whole_image_upscale_of_a_convolution_only_model()
    {
        using var temp = new TempDirectory();
        var path = temp.File("esrgan.onnx");
        TinyEsrgan.Graph().Save(path);
        using var opened = SessionOpener.Open(path, [ExecutionProvider.Cpu]);
        var session = opened.Session;
        var picture = TestPictures.Load("astronaut.png").Crop(150, 30, 150, 110);
        var input = new TensorDescription("input", "image", [1, 3, -1, -1]);
        var output = new TensorDescription("output", "image", [1, 3, -1, -1]);
        PlanarImage Run(byte[] rgba, int w, int h)
        {
            using var results = ModelCall.Run(session, [("input", ImageTensors.FromRgba(rgba, w, h, input))], ["output"], CancellationToken.None);
            return ImageTensors.ToPlanar(results.First(), output);
        }

        var whole = ImageTensors.ToRgba(Run(picture.Rgba, picture.Width, picture.Height), ReadOnlySpan<byte>.Empty);
        var progress = new List<(int, int)>();
        var tiled = await TiledRun.RunAsync(picture.Rgba, picture.Width, picture.Height, new TileSettings(Tile: 48, Overlap: 12, Scale: 4),
            (tile, _) => Task.FromResult(Run(tile.Rgba, tile.Width, tile.Height)), new SynchronousProgress(progress), CancellationToken.None);

        Assert.Equal(whole.Length, tiled.Length);
        int differing = 0, maximum = 0;
        for (int i = 0; i < whole.Length; i++)
        {
            int difference = Math.Abs(whole[i] - tiled[i]);
            differing += difference > 0 ? 1 : 0;
            maximum = Math.Max(maximum, difference);
        }

        // Overlaps blend two equal answers in float: at most a rounding step apart, and rarely.
        Assert.True(maximum <= 1, $"tiled and whole differ by up to {maximum} levels");
        Assert.True(differing < whole.Length / 1000, $"{differing} of {whole.Length} values differ");
        Assert.Equal(4 * 3, progress.Count);
        Assert.Equal((12, 12), progress[^1]);
    }

    [Fact]
    public async Task Cancellation_stops_between_tiles()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(0, 0, 64, 64);
        using var cancel = new CancellationTokenSource();
        int ran = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TiledRun.RunAsync(picture.Rgba, 64, 64, new TileSettings(Tile: 16), (tile, _) =>
        {
            if (++ran == 2)
                cancel.Cancel();
            using var tensor = ImageTensors.FromRgba(tile.Rgba, tile.Width, tile.Height, Rgb);
            return Task.FromResult(ImageTensors.ToPlanar(tensor, Rgb));
        }, null, cancel.Token));

        Assert.Equal(2, ran);
    }

    [Fact]
    public async Task A_tile_answer_of_the_wrong_size_is_refused_with_both_sizes()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(0, 0, 20, 20);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TiledRun.RunAsync(picture.Rgba, 20, 20, new TileSettings(Scale: 2),
            (tile, _) => Task.FromResult(new PlanarImage(20, 20, "rgb", new float[1200])), null, CancellationToken.None));

        Assert.Contains("20x20", error.Message);
        Assert.Contains("40x40", error.Message);
    }

    private sealed class SynchronousProgress(List<(int, int)> seen) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => seen.Add(value);
    }
}
