using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>
/// What painters asked for, in the Paint.NET dialog against the real daemon's classic engine: the
/// object picture for Compose (from the clipboard), several results to pick from, parameters kept
/// per engine and reset to the engine's defaults.
/// </summary>
public sealed class PainterWorkflowTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly UiThread ui = new();
    private readonly ModelDocument document = ModelDocument.FromPicture(
        TestPictures.Load("coffee.png").Crop(0, 0, 64, 48), ModelSelection.FromPolygons(64, 48, [ModelSelection.Rectangle(20, 14, 20, 16)]));

    public void Dispose() => ui.Dispose();

    /// <summary>A clipboard holding a 12x10 opaque blue square, placed at the selection's corner.</summary>
    private sealed class ClipboardPicture : IPictureSource
    {
        public IReadOnlyList<string> Names => ["Clipboard"];

        public BgraImage? Read(string name, PixelRect selectionBounds)
        {
            var bounds = new PixelRect(selectionBounds.X + 4, selectionBounds.Y + 3, 12, 10);
            var pixels = new byte[bounds.Area * 4];
            for (int p = 0; p < bounds.Area; p++)
                (pixels[p * 4], pixels[p * 4 + 1], pixels[p * 4 + 2], pixels[p * 4 + 3]) = (230, 40, 20, 255);
            return name == "Clipboard" ? new BgraImage(bounds, pixels) : null;
        }
    }

    [Fact]
    public async Task Compose_is_in_the_menu_and_takes_its_object_from_the_clipboard()
    {
        // before: Compose was not offered in Paint.NET, and nothing could give the daemon the object picture
        Assert.Contains(PluginOperation.Compose, PluginOperation.All);
        var vm = await LoadedAsync(PluginOperation.Compose, pictures: new ClipboardPicture());
        var field = Assert.Single(vm.Inputs);
        Assert.Equal(("object", true, "Clipboard"), (field.Name, field.Required, field.Choice));

        await ui.InvokeAsync(vm.RunAsync);

        Assert.True(vm.State == DialogState.Succeeded, vm.Error);
        Assert.Equal("classic", vm.Outcome!.Engine);
        var settings = vm.CurrentSettings();
        var request = JobRunner.BuildRequest(Captured.Around(document, false, 8, null), settings,
            pictures: JobPictures.Capture(new ClipboardPicture(), vm.Inputs, new PixelRect(12, 6, 36, 32), document.SelectionBounds));
        var sent = request.Inputs["object"];
        Assert.Equal((36, 32, 12, 6), (sent.Width, sent.Height, sent.OffsetX, sent.OffsetY)); // cut to the pixels sent
    }

    [Fact]
    public async Task Compose_without_a_picture_says_where_to_get_one()
    {
        var vm = await LoadedAsync(PluginOperation.Compose);

        await ui.InvokeAsync(vm.RunAsync);

        Assert.Equal(DialogState.Ready, vm.State);
        Assert.Contains("Copy the picture", vm.Error);
    }

    [Fact]
    public async Task Three_results_with_seeds_s_to_s_plus_2_and_the_chosen_one_is_rendered()
    {
        var vm = await LoadedAsync(PluginOperation.Fill);
        var clipboard = new RecordingClipboard();
        await ui.InvokeAsync(() =>
        {
            vm.Engine = "classic";
            Assert.True(vm.Parameters.Single(p => p.Name == "method").TrySetText("exemplar"));
            vm.Count = 3;
            vm.SeedText = "40";
            return Task.CompletedTask;
        });
        bool completed = false;
        vm.Completed += (_, _) => completed = true;

        await ui.InvokeAsync(vm.RunAsync);

        Assert.True(vm.State == DialogState.Succeeded, vm.Error);
        Assert.Equal([40UL, 41UL, 42UL], vm.Results.Select(r => r.Seed));
        Assert.Equal(3, vm.Results.Select(r => Convert.ToHexString(r.Result.Pixels)).Distinct().Count());
        Assert.False(completed, "with several results the painter picks one first");
        await ui.InvokeAsync(() =>
        {
            vm.ChosenResult = 2;
            return Task.CompletedTask;
        });
        Assert.Same(vm.Results[2], vm.Outcome);
        await ui.InvokeAsync(vm.AcceptAsync);
        Assert.True(completed);
        Assert.Equal(3, vm.CurrentSettings().Count);
    }

    [Fact]
    public async Task Parameters_are_kept_for_their_engine_and_reset_to_its_defaults()
    {
        var previous = new JobSettings
        {
            Operation = "fill",
            Engine = "classic",
            Parameters = System.Collections.Immutable.ImmutableSortedDictionary<string, object>.Empty.Add("method", "telea"),
        };
        var vm = await LoadedAsync(PluginOperation.Fill, previous: previous);
        Assert.Equal("telea", vm.Parameters.Single(p => p.Name == "method").Value);

        await ui.InvokeAsync(() =>
        {
            vm.ResetParameters();
            return Task.CompletedTask;
        });
        Assert.Equal("auto", vm.Parameters.Single(p => p.Name == "method").Value);

        // the same values are not carried to another engine, where the name may mean something else
        var other = await LoadedAsync(PluginOperation.Fill, previous: previous with { Engine = RotatingEngine.Name });
        await ui.InvokeAsync(() =>
        {
            other.Engine = "classic";
            return Task.CompletedTask;
        });
        Assert.Equal("auto", other.Parameters.Single(p => p.Name == "method").Value);
    }

    private async Task<EffectDialogViewModel> LoadedAsync(PluginOperation operation, JobSettings? previous = null, IPictureSource? pictures = null)
    {
        var vm = await ui.Invoke(() => new EffectDialogViewModel(operation, fixture.Gateway(), document, new RecordingClipboard(), previous, pictures));
        await ui.InvokeAsync(vm.LoadAsync);
        Assert.True(vm.State == DialogState.Ready, vm.Error);
        return vm;
    }
}
