using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using EditorBridge.TinyModels;
using EditorBridge.TinyModels.StableDiffusion;
using Grpc.Core;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>A diffusers folder imported through the daemon: the engine's check runs first, then the model serves jobs at once.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("diffusion-import");
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() =>
        daemon = await RunningDaemon.StartAsync(options => options.ModelsDirectory = Path.Combine(temp.Path, "store"));

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task An_imported_model_is_offered_and_runs_without_a_restart()
    {
        var source = TinyDiffusionModel.Write(Path.Combine(temp.Path, "source"), new TinyDiffusionOptions("imported-sd", ControlNet: true));

        var imported = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = source });
        var info = await daemon.Client.GetInfoAsync();
        var result = await daemon.Client.RunJobAsync(WireJobs.Job("generate", WireJobs.Picture()));

        Assert.Equal(("imported-sd", "diffusion"), (imported.Name, imported.Kind));
        Assert.Equal(["imported-sd"], info.Engines.Single(e => e.Name == "diffusion").Operations.Single(o => o.Name == "colorize").Models);
        Assert.Equal(("diffusion", "imported-sd", imported.Identity), (result.Provenance.Engine, result.Provenance.Model, result.Provenance.ModelHash));
    }

    [Fact]
    public async Task A_folder_the_engine_check_rejects_is_not_installed_and_the_problem_is_named()
    {
        var source = TinyDiffusionModel.Write(Path.Combine(temp.Path, "broken"), new TinyDiffusionOptions("broken-sd"));
        new TinyGraph("text_encoder")
            .Input("input_ids", DataType.Float, "batch", 77)
            .Output("last_hidden_state", DataType.Float, "batch", 77, 768)
            .Node("Identity", ["input_ids"], ["last_hidden_state"])
            .Save(Path.Combine(source, "text_encoder", "model.onnx"));
        TinyDiffusionModel.WriteManifest(source, new TinyDiffusionOptions("broken-sd"));

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = source }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("text_encoder/model.onnx: input 'input_ids' is float32, expected int32 or int64.", e.Status.Detail);
        Assert.Empty((await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest())).Models);
    }
}
