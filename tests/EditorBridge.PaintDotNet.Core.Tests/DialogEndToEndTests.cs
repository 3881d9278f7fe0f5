using System.Collections.Concurrent;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Protocol.V1;
using EditorBridge.Daemon.Wire;
using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>The dialog's view-model on a model UI thread, against the real daemon; the result rendered the way Paint.NET renders effects.</summary>
public sealed class DialogEndToEndTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly UiThread ui = new();

    public void Dispose()
    {
        fixture.Rotating.Reset();
        fixture.Rotating.Release();
        ui.Dispose();
    }

    [Fact]
    public async Task Fill_removes_a_painted_blob_changing_nothing_outside_the_selection()
    {
        var original = TestPictures.Load("astronaut.png").Crop(200, 100, 256, 256);
        var layer = ModelBitmap.FromRgba(256, 256, original.Rgba);
        var hole = ModelSelection.FromPolygons(256, 256, [ModelSelection.Ellipse(128.3, 140.6, 16, 12)]);
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 256; x++)
                if (hole.At(x, y) > 0)
                    layer[x, y] = new ModelColor(0, 0, 255, 255); // a red blob to remove
        var selection = ModelSelection.FromPolygons(256, 256, [ModelSelection.Ellipse(128.3, 140.6, 19, 15)]);
        var document = new ModelDocument(layer, selection);
        var clipboard = new RecordingClipboard();

        var vm = await ui.Invoke(() => new EffectDialogViewModel(PluginOperation.Fill, fixture.Gateway(), document, clipboard));
        await ui.InvokeAsync(vm.LoadAsync);
        Assert.Equal(DialogState.Ready, vm.State);
        await ui.InvokeAsync(() =>
        {
            vm.Engine = "classic";
            return Task.CompletedTask;
        });
        Assert.Equal(["method", "radius", "texture", "patch_size"], vm.Parameters.Select(p => p.Name));
        // the classic engine's exemplar method (what "auto" picks for wide holes) is not built yet: diffusion fills
        Assert.True(vm.Parameters[0].TrySetText("telea"));
        await ui.InvokeAsync(vm.RunAsync);

        Assert.True(vm.State == DialogState.Succeeded, vm.Error);
        Assert.Equal("classic", vm.Outcome!.Engine);
        var (after, _) = ModelEffectHost.Apply(document, ResultRenderer.For(vm.Outcome, document));

        var before = layer.ToRgba();
        var filled = after.ToRgba();
        var inside = new byte[256 * 256];
        for (int i = 0; i < inside.Length; i++)
        {
            if (selection.MaskBitmap[i] == 0)
                Assert.True(before.AsSpan(i * 4, 4).SequenceEqual(filled.AsSpan(i * 4, 4)), $"pixel {i % 256},{i / 256} outside the selection changed");
            inside[i] = (byte)(hole.MaskBitmap[i] == 255 ? 1 : 0);
        }

        // The blob is gone, and what replaced it is closer to the photo that was under it than the
        // plain guess, the mean colour of the surroundings, is: measured here, blob 3.8 dB, mean
        // colour 16.0 dB, Telea fill 18.2 dB. Telea is deterministic; 1 dB over the guess leaves room
        // for OpenCV builds that differ in the last bits.
        var guess = MeanColourFill(before, hole, selection, centre: (128, 140));
        var blob = QualityMetrics.Psnr(original.Rgba, before, inside);
        var fill = QualityMetrics.Psnr(original.Rgba, filled, inside);
        var plain = QualityMetrics.Psnr(original.Rgba, guess, inside);
        Assert.True(blob < 6, $"blob {blob:0.0} dB");
        Assert.True(fill > plain + 1, $"fill {fill:0.0} dB, mean colour {plain:0.0} dB");

        var (image, thread) = Assert.Single(clipboard.Images);
        Assert.Equal(ui.ThreadId, thread);
        Assert.Equal((256, 256), (image.Width, image.Height));
        Assert.Contains("Paste into New Layer", vm.Status);
    }

    [Fact]
    public async Task The_result_inside_the_selection_is_exactly_the_engines_and_colours_keep_their_channels()
    {
        var picture = TestPictures.Load("coffee.png").Crop(50, 50, 200, 150);
        var selection = ModelSelection.FromPolygons(200, 150, [ModelSelection.Rectangle(40.5, 30, 80, 60.5), ModelSelection.Ellipse(150, 100, 20, 20)]);
        var document = ModelDocument.FromPicture(picture, selection);
        var vm = await LoadedAsync(PluginOperation.Fill, document, RotatingEngine.Name, feather: 0);
        await ui.InvokeAsync(vm.RunAsync);
        Assert.True(vm.State == DialogState.Succeeded, vm.Error);

        var (after, _) = ModelEffectHost.Apply(document, ResultRenderer.For(vm.Outcome, document), tileSize: 64);
        for (int y = 0; y < 150; y++)
            for (int x = 0; x < 200; x++)
            {
                var (s, r) = (document.Layer[x, y], after[x, y]);
                switch (selection.At(x, y))
                {
                    case 0:
                        Assert.Equal(s, r);
                        break;
                    case 255:
                        Assert.Equal(new ModelColor(B: s.R, G: s.B, R: s.G, A: s.A), r); // R←G, G←B, B←R
                        break;
                }
            }
    }

    [Fact]
    public async Task Progress_and_preview_reach_the_ui_thread_which_stays_free_and_cancel_leaves_the_picture_unchanged()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(0, 0, 160, 120);
        var selection = ModelSelection.FromPolygons(160, 120, [ModelSelection.Ellipse(80, 60, 30, 20)]);
        var document = ModelDocument.FromPicture(picture, selection);
        var vm = await LoadedAsync(PluginOperation.Fill, document, RotatingEngine.Name);
        var changes = new ConcurrentQueue<(string Property, int Thread)>();
        var statuses = new ConcurrentQueue<string>();
        vm.PropertyChanged += (_, e) =>
        {
            changes.Enqueue((e.PropertyName!, Environment.CurrentManagedThreadId));
            if (e.PropertyName == nameof(vm.Status))
                statuses.Enqueue(vm.Status);
        };
        fixture.Rotating.Reset();
        fixture.Rotating.Hold = true;
        int runsBefore = fixture.Rotating.Runs;

        var run = ui.InvokeAsync(vm.RunAsync);
        await fixture.Rotating.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // the engine holds the job: the UI thread still answers, and shows progress and a preview
        Assert.True(await ui.Invoke(() => true).WaitAsync(TimeSpan.FromSeconds(60))); // a blocked UI thread would never answer: 60 s guards the hang
        await WaitUntil(() => vm.Preview is not null && vm.Progress is > 0);
        Assert.Equal(DialogState.Running, vm.State);
        Assert.False(vm.CanRun);
        Assert.Equal(0.25, vm.Progress);
        Assert.Contains($"Running on {RotatingEngine.Name} (cpu)…", statuses);
        Assert.Contains(statuses, s => s.StartsWith("rotating: 25", StringComparison.Ordinal));

        Assert.True(await ui.Invoke(vm.Cancel));
        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(DialogState.Cancelled, vm.State);
        Assert.Null(vm.Outcome);
        Assert.Contains("Nothing was changed", vm.Status);
        await WaitUntil(() => fixture.Rotating.Cancelled > 0);
        var jobs = await fixture.Daemon.Client.ListJobsAsync();
        Assert.Equal(JobState.Cancelled, jobs.Jobs.OrderByDescending(j => j.CreatedUnixMs).First().State);

        var (after, _) = ModelEffectHost.Apply(document, ResultRenderer.For(vm.Outcome, document));
        Assert.Equal(document.Layer.Pixels, after.Pixels);
        Assert.All(changes, c => Assert.Equal(ui.ThreadId, c.Thread));
        Assert.Contains(changes, c => c.Property == nameof(vm.Preview));
        Assert.DoesNotContain(ui.ThreadId, document.ReadThreads); // pixels are read off the UI thread

        // OK again runs it again, once, and this time it finishes; Paint.NET's many tile renders reuse it
        fixture.Rotating.Hold = false;
        await ui.InvokeAsync(vm.RunAsync);
        Assert.Equal(DialogState.Succeeded, vm.State);
        Assert.Equal(runsBefore + 2, fixture.Rotating.Runs);
        var renderer = ResultRenderer.For(vm.Outcome, document);
        for (int i = 0; i < 3; i++)
            ModelEffectHost.Apply(document, renderer, tileSize: 17 + i, seed: i);
        Assert.Equal(runsBefore + 2, fixture.Rotating.Runs);
    }

    [Fact]
    public async Task With_nothing_selected_fill_says_select_a_region_first_and_sends_nothing()
    {
        int before = fixture.Rotating.Runs;
        var jobsBefore = (await fixture.Daemon.Client.ListJobsAsync()).Jobs.Select(j => j.JobId).ToList();
        foreach (var selection in new[] { ModelSelection.Empty(64, 48), ModelSelection.None(64, 48) })
        {
            var document = new ModelDocument(new ModelBitmap(64, 48), selection);
            var vm = await ui.Invoke(() => new EffectDialogViewModel(PluginOperation.Fill, fixture.Gateway(), document));
            await ui.InvokeAsync(vm.LoadAsync);
            Assert.Equal(DialogState.Unavailable, vm.State);
            Assert.StartsWith("Select a region first", vm.Error);
            Assert.False(vm.CanRun);
            await ui.InvokeAsync(vm.RunAsync);
            Assert.Null(vm.Outcome);
        }

        Assert.Equal(before, fixture.Rotating.Runs);
        Assert.Equal(jobsBefore, (await fixture.Daemon.Client.ListJobsAsync()).Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task Every_menu_operation_builds_its_dialog_from_get_info()
    {
        var document = ModelDocument.FromPicture(TestPictures.Load("coffee.png").Crop(0, 0, 64, 48), ModelSelection.None(64, 48));

        // the classic engine colorizes too; the test engine's parameters cover every kind
        var colorize = await LoadedAsync(PluginOperation.Colorize, document, engine: RotatingEngine.Name);
        Assert.Equal(DialogState.Ready, colorize.State); // no selection is fine: it works on the whole layer
        Assert.Equal(["", "classic", RotatingEngine.Name], colorize.Engines);
        Assert.Equal(
            [("strength", ParameterKind.Number), ("steps", ParameterKind.Integer), ("preset", ParameterKind.Choice), ("keep_lines", ParameterKind.Boolean), ("tags", ParameterKind.Text)],
            colorize.Parameters.Select(p => (p.Name, p.Kind)));
        var preset = colorize.Parameters.Single(p => p.Name == "preset");
        Assert.Equal(["ink", "watercolor", "flat"], preset.Choices);
        Assert.Equal("ink", preset.Value);
        Assert.False(preset.TrySetText("oil"));
        Assert.Contains("not one of", preset.Error);
        await ui.InvokeAsync(colorize.RunAsync);
        Assert.Equal(DialogState.Ready, colorize.State); // refused before sending
        Assert.Contains("Preset", colorize.Error);
        Assert.True(preset.TrySetText("flat"));
        var steps = colorize.Parameters.Single(p => p.Name == "steps");
        Assert.False(steps.TrySetText("2.5"));
        Assert.False(steps.TrySetText("51"));
        Assert.True(steps.TrySetText("7"));
        Assert.Equal(7.0, steps.Value);
        colorize.Prompt = "warm evening light";
        await ui.InvokeAsync(colorize.RunAsync);
        Assert.True(colorize.State == DialogState.Succeeded, colorize.Error);
        Assert.Null(colorize.Outcome!.Selection); // whole layer
        Assert.Equal(new PixelRect(0, 0, 64, 48), colorize.Outcome.Result.Bounds);
        var settings = colorize.CurrentSettings();
        Assert.Equal(("flat", 7.0, "warm evening light"), ((string)settings.Parameters["preset"], (double)settings.Parameters["steps"], settings.Prompt));

        // the next time the dialog opens it shows the last settings
        var again = await LoadedAsync(PluginOperation.Colorize, document, previous: settings);
        Assert.Equal("flat", again.Parameters.Single(p => p.Name == "preset").Value);
        Assert.Equal("warm evening light", again.Prompt);

        // with the best engine, the parameters are those of the engine the daemon routes the job to
        // (classic before the test engine, whose priority is lower), not a guess across engines
        var fill = await LoadedAsync(PluginOperation.Fill, ModelDocument.FromPicture(TestPictures.Load("coffee.png").Crop(0, 0, 64, 48), ModelSelection.FromPolygons(64, 48, [ModelSelection.Rectangle(10, 10, 10, 10)])));
        Assert.Equal(["", "classic", RotatingEngine.Name], fill.Engines);
        Assert.Equal(["classic", RotatingEngine.Name], (await fixture.Daemon.Client.GetInfoAsync()).OperationRoutes.Single(r => r.Operation == "fill").Engines);
        Assert.Equal(["method", "radius", "texture", "patch_size"], fill.Parameters.Select(p => p.Name));
        Assert.Equal([""], fill.Models);

        foreach (var missing in new[] { PluginOperation.Generate })
        {
            var vm = await LoadedAsync(missing, document);
            Assert.Equal(DialogState.Unavailable, vm.State);
            Assert.Contains($"offers {missing.Name}", vm.Error);
            Assert.Contains("installed: fill, restore, stylize", vm.Error);
        }
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(10, 6)]
    public async Task The_crop_sent_is_the_daemons_context_rule_and_gives_the_pixels_of_the_whole_layer(int grow, int? feather)
    {
        var picture = TestPictures.Load("brick.png").Crop(0, 0, 400, 300);
        var selection = ModelSelection.FromPolygons(400, 300, [ModelSelection.Ellipse(300, 220, 14, 9)]);
        var document = ModelDocument.FromPicture(picture, selection);
        using var gateway = fixture.Gateway();
        var info = await gateway.ConnectAsync(CancellationToken.None);
        var settings = new JobSettings { Operation = "fill", Engine = "classic", Seed = 42, Parameters = JobSettingsFor("telea"), GrowPixels = grow, FeatherPixels = feather };

        var crop = await JobInput.CaptureAsync(document, true, settings, gateway, info.Limits, CancellationToken.None);

        // the crop is what the daemon's one rule (Imaging's ContextCrop, with this job's geometry) names
        var geometry = WireGeometry.Merge(GeometrySettings.Default, JobRunner.Geometry(settings));
        var plan = ContextCrop.Plan(new PixelRect(crop.Mask!.Bounds.X, crop.Mask.Bounds.Y, crop.Mask.Bounds.Width, crop.Mask.Bounds.Height), new PixelRect(0, 0, 400, 300), geometry);
        Assert.Equal(new PixelRect(plan.Crop.X, plan.Crop.Y, plan.Crop.Width, plan.Crop.Height), crop.Layer.Bounds);
        Assert.Equal(crop.Layer.Bounds, (await gateway.PlanContextAsync(JobInput.Query(crop.Canvas, crop.Mask, settings), CancellationToken.None)).Crop is { } c ? new PixelRect(c.X, c.Y, c.Width, c.Height) : default);

        var whole = Captured.Around(document, true, 10_000, info.Limits);
        Assert.True(crop.Layer.Bounds.Area < whole.Layer.Bounds.Area / 4);
        var a = await gateway.RunJobAsync(JobRunner.BuildRequest(crop, settings), new Progress<JobEvent>(), CancellationToken.None);
        var b = await gateway.RunJobAsync(JobRunner.BuildRequest(whole, settings), new Progress<JobEvent>(), CancellationToken.None);
        Assert.Equal((a.Layer.OffsetX, a.Layer.OffsetY, a.Layer.Width, a.Layer.Height), (b.Layer.OffsetX, b.Layer.OffsetY, b.Layer.Width, b.Layer.Height));
        ImageAssert.Identical(b.Layer.Data.ToByteArray(), a.Layer.Data.ToByteArray(), a.Layer.Width);
        Assert.False(a.Layer.Data.Span.SequenceEqual(WirePixels.ToWire(whole.Layer.Crop(new PixelRect(a.Layer.OffsetX, a.Layer.OffsetY, a.Layer.Width, a.Layer.Height))).Data.Span));
    }

    /// <summary>The hole painted with the mean colour of the unselected pixels near it.</summary>
    private static byte[] MeanColourFill(byte[] rgba, ModelSelection hole, ModelSelection selection, (int X, int Y) centre)
    {
        var result = (byte[])rgba.Clone();
        var sum = new long[3];
        int n = 0;
        for (int i = 0; i < hole.MaskBitmap.Length; i++)
        {
            if (selection.MaskBitmap[i] != 0 || Math.Abs(i % 256 - centre.X) >= 30 || Math.Abs(i / 256 - centre.Y) >= 25)
                continue;
            for (int c = 0; c < 3; c++)
                sum[c] += rgba[i * 4 + c];
            n++;
        }

        for (int i = 0; i < hole.MaskBitmap.Length; i++)
        {
            if (hole.MaskBitmap[i] > 0)
            {
                for (int c = 0; c < 3; c++)
                    result[i * 4 + c] = (byte)(sum[c] / n);
            }
        }

        return result;
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, object> JobSettingsFor(string method) =>
        System.Collections.Immutable.ImmutableSortedDictionary<string, object>.Empty.Add("method", method);

    private async Task<EffectDialogViewModel> LoadedAsync(PluginOperation operation, ModelDocument document, string? engine = null, int? feather = null, JobSettings? previous = null)
    {
        var vm = await ui.Invoke(() => new EffectDialogViewModel(operation, fixture.Gateway(), document, new RecordingClipboard(), previous));
        await ui.InvokeAsync(vm.LoadAsync);
        await ui.InvokeAsync(() =>
        {
            if (engine is not null)
                vm.Engine = engine;
            if (feather is not null)
                vm.FeatherPixels = feather;
            return Task.CompletedTask;
        });
        return vm;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition());
    }
}
