using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>The dialog's model choice against the real daemon with installed (test) models.</summary>
public sealed class ModelChoiceTests(ModelDaemonFixture fixture) : IClassFixture<ModelDaemonFixture>, IDisposable
{
    private readonly UiThread ui = new();
    private readonly ModelDocument document = ModelDocument.FromPicture(
        TestPictures.Load("coffee.png").Crop(0, 0, 48, 32), ModelSelection.FromPolygons(48, 32, [ModelSelection.Rectangle(8, 8, 16, 12)]));

    public void Dispose() => ui.Dispose();

    [Fact]
    public async Task The_models_list_automatic_first_then_the_default_and_parameters_follow_the_serving_engine()
    {
        var vm = await LoadedAsync();

        Assert.Equal(["", "alpha", "beta"], vm.Models);
        Assert.Equal("", vm.Model);
        // the route's first engine (the model engine) serves an automatic job: its parameters (none), not the rotating engine's
        Assert.Empty(vm.Parameters);

        await Edit(vm, () => vm.Engine = RotatingEngine.Name);
        Assert.Equal([""], vm.Models);
        Assert.Equal(["strength", "style_only_here"], vm.Parameters.Select(p => p.Name));

        await Edit(vm, () => vm.Engine = "");
        await Edit(vm, () => vm.Model = "beta");
        Assert.Equal("beta", vm.Model);
        Assert.Empty(vm.Parameters);
    }

    [Fact]
    public async Task A_chosen_model_serves_the_job_the_status_names_it_and_the_next_dialog_remembers_it()
    {
        var vm = await LoadedAsync();
        await Edit(vm, () => vm.Model = "beta");

        await ui.InvokeAsync(vm.RunAsync);

        Assert.True(vm.State == DialogState.Succeeded, vm.Error);
        Assert.Equal((ModelBackedTestEngine.Name, "beta"), (vm.Outcome!.Engine, vm.Outcome.Model));
        Assert.StartsWith($"Done with {ModelBackedTestEngine.Name} (model beta) on cpu", vm.Status);
        var settings = vm.CurrentSettings();
        Assert.Equal("beta", settings.Model);

        var again = await LoadedAsync(settings);
        Assert.Equal("beta", again.Model);
    }

    [Fact]
    public async Task Automatic_sends_no_model_and_the_engine_uses_its_default()
    {
        var vm = await LoadedAsync();
        var settings = vm.CurrentSettings();
        var request = JobRunner.BuildRequest(Captured.Around(document, requiresMask: false, margin: 0, limits: null), settings);

        await ui.InvokeAsync(vm.RunAsync);

        Assert.Equal("", request.Model);
        Assert.True(vm.State == DialogState.Succeeded, vm.Error);
        Assert.Equal("alpha", vm.Outcome!.Model);
    }

    [Fact]
    public async Task A_remembered_model_no_longer_installed_falls_back_to_automatic()
    {
        var vm = await LoadedAsync(new JobSettings { Operation = "stylize", Model = "gone" });

        Assert.Equal("", vm.Model);
        Assert.Equal("", vm.CurrentSettings().Model);
    }

    private async Task<EffectDialogViewModel> LoadedAsync(JobSettings? previous = null)
    {
        var vm = await ui.Invoke(() => new EffectDialogViewModel(PluginOperation.Stylize, fixture.Gateway(), document, new RecordingClipboard(), previous));
        await ui.InvokeAsync(vm.LoadAsync);
        Assert.True(vm.State == DialogState.Ready, vm.Error);
        return vm;
    }

    private Task Edit(EffectDialogViewModel vm, Action change) => ui.InvokeAsync(() =>
    {
        change();
        return Task.CompletedTask;
    });
}
