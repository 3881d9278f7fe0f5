using EditorBridge.ModelStore;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>Models installed through the daemon's import, which asks the onnx engine to check them first.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private readonly TempDirectory store = new("models");
    private readonly TempDirectory downloads = new("downloads");
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(options => options.ModelsDirectory = store.Path);

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        store.Dispose();
        downloads.Dispose();
    }

    [Fact]
    public async Task An_imported_upscaler_serves_restore_at_once()
    {
        var folder = Path.Combine(downloads.Path, "esrgan");
        var manifest = TinyEsrgan.Write(folder);

        await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });
        var request = new JobRequest { Operation = "restore", Layer = WireRequests.Layer(Pictures.Photo(40)), Parameters = new Struct { Fields = { ["scale"] = Value.ForNumber(4) } } };
        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal("onnx", result.Provenance.Engine);
        Assert.Equal(manifest.Name, result.Provenance.Model);
        Assert.Equal(manifest.Identity(), result.Provenance.ModelHash);
        Assert.Equal((160, 160), (result.Layer.Width, result.Layer.Height));
    }

    [Fact]
    public async Task A_position_bound_signature_is_installed_with_the_graphs_names_and_serves_restore()
    {
        var folder = Path.Combine(downloads.Path, "guessed");
        var manifest = TinyModelFolder.Write(folder, "guessed-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), PositionBoundSignatureTests.GuessedNames(true), "");

        var reply = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });
        var request = new JobRequest { Operation = "restore", Model = "guessed-esrgan", Layer = WireRequests.Layer(Pictures.Photo(40)), Parameters = new Struct { Fields = { ["scale"] = Value.ForNumber(4) } } };
        var result = await daemon.Client.RunJobAsync(request);

        var installed = ModelManifest.Load(Path.Combine(store.Path, "guessed-esrgan")).Signature!;
        Assert.Equal(("input", "output"), (installed.Inputs[0].Name, installed.Outputs[0].Name));
        Assert.Equal(["input 0 'lr' is 'input' in the model", "output 0 'sr' is 'output' in the model"], reply.SignatureNamesTaken);
        Assert.Equal("lr", ModelManifest.Load(folder).Signature!.Inputs[0].Name);
        Assert.Equal(("onnx", "guessed-esrgan", manifest.Identity()), (result.Provenance.Engine, result.Provenance.Model, result.Provenance.ModelHash));
        Assert.Equal((160, 160), (result.Layer.Width, result.Layer.Height));
    }

    [Fact]
    public async Task A_position_bound_signature_of_the_wrong_data_type_is_not_installed()
    {
        var folder = Path.Combine(downloads.Path, "half-guessed");
        var guessed = PositionBoundSignatureTests.GuessedNames(true);
        var signature = guessed with { Outputs = [guessed.Outputs[0] with { DataType = "float16" }] };
        TinyModelFolder.Write(folder, "half-guessed", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "");

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("onnx: model 'half-guessed': output 'output' is float32 in the ONNX file but float16 in its manifest", e.Status.Detail);
        Assert.DoesNotContain(Directory.EnumerateDirectories(store.Path), d => Path.GetFileName(d) == "half-guessed");
    }

    [Fact]
    public async Task A_model_whose_signature_does_not_match_its_graph_is_not_installed()
    {
        var folder = Path.Combine(downloads.Path, "half");
        var signature = TinyEsrgan.Signature() with { Inputs = [new TensorDescription("input", "image", [1, 3, -1, -1], "float16")] };
        TinyModelFolder.Write(folder, "half-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "");

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("onnx: model 'half-esrgan': input 'input' is float32 in the ONNX file but float16 in its manifest", e.Status.Detail);
        Assert.DoesNotContain(Directory.EnumerateDirectories(store.Path), d => Path.GetFileName(d) == "half-esrgan");
        var info = await daemon.Client.GetInfoAsync();
        Assert.DoesNotContain(info.Engines, engine => engine.Name == "onnx" && engine.Operations.Any(o => o.Name == "restore"));
    }
}
