using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>The engine in process: what it offers from the store, its contract with editors, cancellation.</summary>
public sealed class OnnxEngineTests : IDisposable
{
    private readonly TempDirectory store = new("models");
    private readonly OnnxEngine engine = new();

    public void Dispose()
    {
        engine.Dispose();
        store.Dispose();
    }

    private void Configure(params string[] providers) =>
        engine.Configure(new EngineEnvironment(store.Path, providers, TimeSpan.FromMinutes(5)));

    [Fact]
    public void An_empty_store_offers_nothing_and_a_model_installed_later_shows_on_the_next_describe()
    {
        Configure("cpu");
        Assert.Empty(engine.Describe().Operations);

        TinyEsrgan.Write(Path.Combine(store.Path, "esrgan"));
        var described = engine.Describe();

        var restore = Assert.Single(described.Operations);
        Assert.Equal("restore", restore.Name);
        Assert.Equal(["tiny-esrgan-x4"], restore.Models);
        Assert.True(described.Priority > 0, "model-backed engines come before the classic engine (priority 0)");
    }

    [Fact]
    public void Folders_that_are_not_models_of_its_kinds_are_passed_over()
    {
        Directory.CreateDirectory(Path.Combine(store.Path, "empty"));
        Directory.CreateDirectory(Path.Combine(store.Path, "broken"));
        File.WriteAllText(Path.Combine(store.Path, "broken", ModelManifest.FileName), "{ not json");
        var diffusion = TinyStyle.Write(Path.Combine(store.Path, "sd"), "sd", TinyStyle.Cool) with { Kind = ModelKind.Diffusion };
        File.WriteAllText(Path.Combine(store.Path, "sd", ModelManifest.FileName), diffusion.ToJson());
        TinySegmenter.Write(Path.Combine(store.Path, "segmenter"));
        Configure("cpu");

        var operations = engine.Describe().Operations;

        Assert.Equal(["segment"], operations.Select(o => o.Name));
    }

    [Fact]
    public void Segment_takes_the_classic_engines_canvas_parameters_so_editors_work_unchanged()
    {
        TinySegmenter.Write(Path.Combine(store.Path, "segmenter"));
        Configure("cpu");

        var segment = Assert.Single(engine.Describe().Operations);

        var axes = segment.Parameters.Where(p => p.Axis != CanvasAxis.None).ToDictionary(p => p.Name, p => p.Axis);
        Assert.Equal(new Dictionary<string, CanvasAxis> { ["x"] = CanvasAxis.X, ["y"] = CanvasAxis.Y, ["width"] = CanvasAxis.Width, ["height"] = CanvasAxis.Height }, axes);
        Assert.True(segment.Parameters.Single(p => p.Name == "x").Required);
    }

    [Fact]
    public void Unknown_provider_names_are_ignored_and_said_so_in_the_description()
    {
        Configure("tensorrt", "cpu");

        var described = engine.Describe();

        Assert.Equal(["cpu"], described.Devices);
        Assert.Contains("tensorrt", described.Description);
    }

    [Fact]
    public async Task Cancelling_during_a_tiled_upscale_stops_at_the_next_tile()
    {
        TinyEsrgan.Write(Path.Combine(store.Path, "esrgan"), tile: 32, overlap: 8);
        Configure("cpu");
        engine.Describe();
        var picture = Pictures.Photo(128);
        using var cancel = new CancellationTokenSource();
        var seen = new List<EngineProgress>();
        var progress = new CancelOnTile(cancel, seen);
        var request = new EngineRequest("restore", new EngineImage(128, 128, picture.Rgba), null, new Dictionary<string, object> { ["scale"] = 4.0 }, 1, "", "");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.RunAsync(request, progress, cancel.Token));

        Assert.Equal(1, seen.Count(p => p.Stage == "tile"));
        Assert.True(seen.Single(p => p.Stage == "tile").Total > 4, "the picture should take several tiles");
    }

    [Fact]
    public async Task A_model_file_that_cannot_be_opened_is_refused_naming_the_model()
    {
        TinyStyle.Write(Path.Combine(store.Path, "style"), "broken-style", TinyStyle.Cool);
        File.WriteAllText(Path.Combine(store.Path, "style", TinyModelFolder.ModelFile), "truncated");
        Configure("cpu");
        engine.Describe();
        var picture = Pictures.Photo(32);
        var request = new EngineRequest("stylize", new EngineImage(32, 32, picture.Rgba), null, new Dictionary<string, object> { ["style"] = "broken-style", ["strength"] = 1.0 }, 1, "", "");

        var error = await Assert.ThrowsAsync<EngineInputException>(() => engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None));

        Assert.Equal("model", error.Field);
        Assert.StartsWith("model 'broken-style': 'model.onnx' cannot be opened", error.Message);
    }

    [Fact]
    public async Task A_position_bound_model_placed_in_the_store_without_the_check_is_refused_with_what_to_do()
    {
        var folder = Path.Combine(store.Path, "guessed");
        TinyModelFolder.Write(folder, "guessed-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), PositionBoundSignatureTests.GuessedNames(true), "");
        Configure("cpu");
        engine.Describe();
        var request = new EngineRequest("restore", new EngineImage(16, 16, Pictures.Photo(16).Rgba), null, new Dictionary<string, object> { ["scale"] = 4.0 }, 1, "", "") { Model = "guessed-esrgan" };

        var error = await Assert.ThrowsAsync<EngineInputException>(() => engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None));

        Assert.Equal("model", error.Field);
        Assert.Contains("model 'guessed-esrgan': the ONNX file has no input 'lr' (its inputs: 'input')", error.Message);
        Assert.EndsWith("install 'guessed-esrgan' again (import or pull) with the onnx engine loaded: its check takes the graph's names", error.Message);
    }

    [Fact]
    public async Task A_colorizer_answering_rgb_gives_its_chroma_on_the_layers_own_lightness()
    {
        // a fast-style graph standing in for a DeOldify-like colorizer: RGB in, RGB out at a fixed size
        var signature = TinyStyle.Signature() with { Inputs = [new TensorDescription("input1", "image", [1, 3, 224, 224], Range: [0, 255])] };
        TinyModelFolder.Write(Path.Combine(store.Path, "rgb-colorizer"), "rgb-colorizer", ModelKind.Colorize, "colorize", TinyStyle.Graph(TinyStyle.Sepia), signature, "");
        Configure("cpu");
        engine.Describe();
        var grey = Pictures.Grey(Pictures.Photo(64));
        var request = new EngineRequest("colorize", new EngineImage(64, 64, grey.Rgba), null, new Dictionary<string, object> { ["saturation"] = 1.0 }, 1, "", "");

        var output = await engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None);

        Assert.Equal("rgb-colorizer", output.ModelName);
        var pixels = output.Image.Pixels;
        int warm = 0;
        for (int p = 0; p < pixels.Length; p += 4)
        {
            var before = Inference.CieLab.FromRgb(grey.Rgba[p], grey.Rgba[p + 1], grey.Rgba[p + 2]);
            var after = Inference.CieLab.FromRgb(pixels[p], pixels[p + 1], pixels[p + 2]);
            bool clipped = pixels[p] is 0 or 255 || pixels[p + 1] is 0 or 255 || pixels[p + 2] is 0 or 255;
            Assert.True(clipped || Math.Abs(before.L - after.L) < 1, $"lightness {before.L:0.0} became {after.L:0.0}");
            warm += after.B > 5 ? 1 : 0;
        }

        Assert.True(warm > pixels.Length / 4 * 9 / 10, $"only {warm} pixels took the sepia model's yellow");
    }

    private sealed class CancelOnTile(CancellationTokenSource cancel, List<EngineProgress> seen) : IProgress<EngineProgress>
    {
        public void Report(EngineProgress value)
        {
            seen.Add(value);
            if (value.Stage == "tile")
                cancel.Cancel();
        }
    }
}
