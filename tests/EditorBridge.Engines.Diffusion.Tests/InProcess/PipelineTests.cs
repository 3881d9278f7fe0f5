using static EditorBridge.Engines.Diffusion.Tests.InProcess.EngineRuns;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>Every pipeline in-process on the tiny models: sizes, determinism, masking, ink, progress and previews.</summary>
public sealed class PipelineTests(TinyModelStore store) : IClassFixture<TinyModelStore>, IDisposable
{
    private readonly DiffusionEngine engine = Engine(store.Path);

    [Fact]
    public void Describe_lists_the_operations_the_installed_models_serve()
    {
        var operations = engine.Describe().Operations.ToDictionary(o => o.Name);

        Assert.Equal(["colorize", "compose", "fill", "generate", "restore", "stylize"], operations.Keys.Order());
        Assert.Equal([TinyModelStore.Plain, TinyModelStore.Inpainting], operations["generate"].Models);
        // fill prefers the inpainting model; colorize needs a ControlNet, which only the plain model has
        Assert.Equal(TinyModelStore.Inpainting, operations["fill"].Models[0]);
        Assert.Equal([TinyModelStore.Plain], operations["colorize"].Models);
        Assert.All(operations.Values, o => Assert.Equal((512, 8), (o.MaxWorkingSide, o.SizeMultiple)));
        Assert.True(operations["fill"].RequiresMask);
        Assert.Contains(operations["compose"].DeclaredInputs, i => i.Name == InputDescriptor.Object && i.Required);
    }

    [Fact]
    public void No_model_installed_offers_nothing()
    {
        using var empty = new EditorBridge.Testing.TempDirectory("diffusion-empty");
        using var bare = Engine(empty.Path);

        Assert.Empty(bare.Describe().Operations);
    }

    [Theory]
    [InlineData(TinyModelStore.Plain)]
    [InlineData(TinyModelStore.Inpainting)]
    public async Task Generate_is_deterministic_per_seed_and_follows_the_prompt(string model)
    {
        var image = Photo();
        var first = await RunAsync(engine, Request(engine, "generate", image, model: model));
        var again = await RunAsync(engine, Request(engine, "generate", image, model: model));
        var otherSeed = await RunAsync(engine, Request(engine, "generate", image, seed: 8, model: model));
        var otherPrompt = await RunAsync(engine, Request(engine, "generate", image, prompt: "the blue sea", model: model));

        Assert.Equal(first.Image.Pixels, again.Image.Pixels);
        Assert.NotEqual(first.Image.Pixels, otherSeed.Image.Pixels);
        Assert.NotEqual(first.Image.Pixels, otherPrompt.Image.Pixels);
        Assert.Equal((64, 64), (first.Image.Width, first.Image.Height));
        Assert.Equal(model, first.ModelName);
        Assert.Equal(EditorBridge.ModelStore.ModelManifest.Load(store.ModelDirectory(model)).Identity(), first.ModelHash);
        Assert.Equal("cpu", first.Device);
    }

    [Theory]
    [InlineData("float32", false, false)]
    [InlineData("float32", true, true)]
    [InlineData("int64", true, false)]
    [InlineData("float16", false, true)]
    public async Task Every_timestep_dtype_and_shape_of_the_exports_runs(string timestep, bool perSample, bool half)
    {
        using var folder = new EditorBridge.Testing.TempDirectory("diffusion-timestep");
        EditorBridge.TinyModels.StableDiffusion.TinyDiffusionModel.Write(System.IO.Path.Combine(folder.Path, "m"),
            new EditorBridge.TinyModels.StableDiffusion.TinyDiffusionOptions("m", Half: half, Timestep: timestep, TimestepPerSample: perSample));
        using var variant = Engine(folder.Path);

        var first = await RunAsync(variant, Request(variant, "generate", Photo()));
        var again = await RunAsync(variant, Request(variant, "generate", Photo()));

        Assert.Equal(first.Image.Pixels, again.Image.Pixels);
        Assert.Contains(first.Image.Pixels, b => b is > 10 and < 245);
    }

    [Fact]
    public async Task Guidance_one_runs_unguided_and_differs_from_guided()
    {
        var image = Photo();
        var guided = await RunAsync(engine, Request(engine, "generate", image));
        var unguided = await RunAsync(engine, Request(engine, "generate", image, parameters: ("guidance", 1.0)));

        Assert.NotEqual(guided.Image.Pixels, unguided.Image.Pixels);
    }

    [Theory]
    [InlineData(TinyModelStore.Plain)]
    [InlineData(TinyModelStore.Inpainting)]
    public async Task Fill_changes_the_hole_and_leaves_every_other_pixel_as_it_was(string model)
    {
        var image = Photo();
        var hole = Hole(64, 20, 12, 24, 30);

        var output = await RunAsync(engine, Request(engine, "fill", image, hole, model: model));

        int changedInside = 0;
        for (int p = 0; p < hole.Coverage.Length; p++)
        {
            var before = image.Pixels.AsSpan(p * 4, 4);
            var after = output.Image.Pixels.AsSpan(p * 4, 4);
            if (hole.Coverage[p] == 0)
                Assert.True(before.SequenceEqual(after), $"pixel {p % 64},{p / 64} outside the hole changed");
            else if (!before.SequenceEqual(after))
                changedInside++;
        }

        Assert.True(changedInside > hole.Coverage.Count(c => c != 0) / 2, $"only {changedInside} pixels of the hole changed");
    }

    [Fact]
    public async Task Restore_at_low_strength_stays_closer_to_the_picture_than_stylize()
    {
        var image = Photo();
        var restored = await RunAsync(engine, Request(engine, "restore", image, parameters: ("strength", 0.2)));
        var stylized = await RunAsync(engine, Request(engine, "stylize", image, parameters: ("strength", 0.9)));

        Assert.True(MeanDifference(image, restored.Image) < MeanDifference(image, stylized.Image),
            $"restore moved {MeanDifference(image, restored.Image):0.0}, stylize {MeanDifference(image, stylized.Image):0.0}");
    }

    [Fact]
    public async Task Strength_zero_returns_the_picture_unchanged()
    {
        var image = Photo();

        var output = await RunAsync(engine, Request(engine, "restore", image, parameters: ("strength", 0.0)));

        Assert.Equal(image.Pixels, output.Image.Pixels);
    }

    [Fact]
    public async Task Colorize_keeps_the_ink()
    {
        var sketch = LineArt(64, 24);

        var output = await RunAsync(engine, Request(engine, "colorize", sketch));
        var loose = await RunAsync(engine, Request(engine, "colorize", sketch, parameters: ("keep_ink", false)));

        for (int i = 0; i < sketch.Pixels.Length; i++)
        {
            if ((i & 3) != 3)
                Assert.True(output.Image.Pixels[i] <= sketch.Pixels[i], $"byte {i} is lighter than the sketch");
        }

        Assert.Equal([0, 0, 0], output.Image.Pixels.AsSpan((24 * 64 + 10) * 4, 3).ToArray());
        Assert.NotEqual(output.Image.Pixels, loose.Image.Pixels);
    }

    [Fact]
    public async Task Colorize_follows_the_line_art_through_the_ControlNet()
    {
        // At strength 1 the sampling starts from noise alone: the sketch reaches the picture only through the ControlNet.
        var one = await RunAsync(engine, Request(engine, "colorize", LineArt(64, 24), parameters: ("keep_ink", false)));
        var other = await RunAsync(engine, Request(engine, "colorize", LineArt(64, 40), parameters: ("keep_ink", false)));
        var oneOff = await RunAsync(engine, Request(engine, "colorize", LineArt(64, 24), parameters: [("keep_ink", false), ("line_strength", 0.0)]));
        var otherOff = await RunAsync(engine, Request(engine, "colorize", LineArt(64, 40), parameters: [("keep_ink", false), ("line_strength", 0.0)]));

        Assert.NotEqual(one.Image.Pixels, other.Image.Pixels);
        Assert.Equal(oneOff.Image.Pixels, otherOff.Image.Pixels);
    }

    [Fact]
    public async Task Compose_repaints_only_the_seam_around_the_pasted_object()
    {
        var image = Photo();
        var paste = Photo(name: "coffee.png");
        var pixels = (byte[])paste.Pixels.Clone();
        for (int p = 0; p < 64 * 64; p++)
        {
            int x = p % 64, y = p / 64;
            pixels[p * 4 + 3] = x is >= 16 and < 48 && y is >= 16 and < 48 ? (byte)255 : (byte)0;
        }

        var request = Request(engine, "compose", image, parameters: ("seam_width", 8.0)) with { Inputs = new Dictionary<string, EngineImage> { ["object"] = new(64, 64, pixels) } };
        var output = await RunAsync(engine, request);

        // far from the object's edge: the background outside, the object inside, exactly
        Assert.True(image.Pixels.AsSpan((2 * 64 + 2) * 4, 4).SequenceEqual(output.Image.Pixels.AsSpan((2 * 64 + 2) * 4, 4)));
        Assert.True(paste.Pixels.AsSpan((32 * 64 + 32) * 4, 3).SequenceEqual(output.Image.Pixels.AsSpan((32 * 64 + 32) * 4, 3)));
        // on the edge: repainted
        Assert.False(paste.Pixels.AsSpan((16 * 64 + 32) * 4, 3).SequenceEqual(output.Image.Pixels.AsSpan((16 * 64 + 32) * 4, 3)));
    }

    [Fact]
    public async Task Progress_reports_every_step_with_a_latent_preview_every_few()
    {
        var recorder = new Recorder();

        await RunAsync(engine, Request(engine, "generate", Photo(), parameters: ("steps", 8.0)), recorder);

        var steps = recorder.Reports.Where(r => r.Stage == "generate").ToList();
        Assert.Equal(Enumerable.Range(1, 8), steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal(9, s.Total));
        var previews = steps.Where(s => s.Preview is not null).ToList();
        Assert.Equal([4, 8], previews.Select(p => p.Step));
        Assert.All(previews, p => Assert.Equal((8, 8), (p.Preview!.Width, p.Preview.Height)));
        Assert.NotEqual(previews[0].Preview!.Pixels, previews[1].Preview!.Pixels);
        Assert.Contains(recorder.Reports, r => r.Stage == "decoding");
    }

    [Fact]
    public async Task A_long_prompt_is_reported_truncated()
    {
        var recorder = new Recorder();
        var prompt = string.Join(" ", Enumerable.Repeat("red cat and the grass", 40));

        await RunAsync(engine, Request(engine, "generate", Photo(), prompt: prompt), recorder);

        Assert.Contains(recorder.Reports, r => r.Stage.StartsWith("prompt truncated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_mid_steps_stops_the_job_before_its_last_step()
    {
        using var cancel = new CancellationTokenSource();
        var recorder = new Recorder(r =>
        {
            if (r.Step == 2 && r.Stage == "generate")
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RunAsync(engine, Request(engine, "generate", Photo(), parameters: ("steps", 150.0)), recorder, cancel.Token));

        Assert.True(recorder.Reports.Max(r => r.Step) <= 3, $"ran to step {recorder.Reports.Max(r => r.Step)} after the cancel at 2");
    }

    [Fact]
    public async Task A_missing_provider_falls_back_to_the_cpu_and_says_so()
    {
        using var fallback = Engine(store.Path, "cuda", "cpu");

        var output = await RunAsync(fallback, Request(fallback, "generate", Photo()));

        Assert.Equal("cpu", output.Device);
        Assert.Equal(["cpu"], fallback.Describe().Devices);
    }

    [Fact]
    public async Task Sessions_are_opened_once_for_concurrent_jobs_and_closed_when_idle()
    {
        var idle = TimeSpan.FromSeconds(2);
        using var shortLived = new DiffusionEngine();
        shortLived.Configure(new EngineEnvironment(store.Path, ["cpu"], idle));

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => RunAsync(shortLived, Request(shortLived, "generate", Photo(), seed: (ulong)i))));

        // generate opens the text encoder, the UNet, the ControlNet (once, for the residual shapes this
        // ControlNet-ready UNet takes as zeros) and the VAE decoder, not the encoder: four, whatever the number of jobs
        Assert.Equal(4, shortLived.OpenSessions);
        for (int wait = 0; wait < 300 && shortLived.OpenSessions > 0; wait++)
            await Task.Delay(50);
        Assert.Equal(0, shortLived.OpenSessions);
    }

    [Fact]
    public async Task A_job_that_would_not_fit_in_memory_is_refused_before_loading()
    {
        using var huge = TinyModelStore.HugeModelStore();
        using var big = Engine(huge.Path);

        var e = await Assert.ThrowsAsync<InsufficientMemoryException>(() => RunAsync(big, Request(big, "generate", Photo())));

        Assert.Contains("generate at 64x64 needs about", e.Message);
        Assert.Contains("is free (available memory)", e.Message);
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var colorizeWithFp16 = Request(engine, "generate", Photo(), model: "no-such-model");
        var odd = Request(engine, "generate", new EngineImage(60, 64, new byte[60 * 64 * 4]));

        Assert.Equal("model", (await Assert.ThrowsAsync<EngineInputException>(() => RunAsync(engine, colorizeWithFp16))).Field);
        Assert.Equal("layer", (await Assert.ThrowsAsync<EngineInputException>(() => RunAsync(engine, odd))).Field);
        Assert.Equal("scheduler", (await Assert.ThrowsAsync<EngineInputException>(() =>
            RunAsync(engine, Request(engine, "generate", Photo(), parameters: ("scheduler", "plms"))))).Field);
    }

    public void Dispose() => engine.Dispose();

    private static EngineImage LineArt(int side, int lineRow)
    {
        var pixels = Enumerable.Repeat((byte)255, side * side * 4).ToArray();
        for (int x = 4; x < side - 4; x++)
        {
            for (int t = 0; t < 2; t++)
            {
                Array.Fill(pixels, (byte)0, ((lineRow + t) * side + x) * 4, 3);
                Array.Fill(pixels, (byte)0, ((x * side) + lineRow / 2 + t) * 4, 3);
            }
        }

        return new EngineImage(side, side, pixels);
    }

    private static double MeanDifference(EngineImage a, EngineImage b) =>
        a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();
}
