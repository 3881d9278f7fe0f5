using System.Security.Cryptography;
using System.Text.Json;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>
/// PullModel of a catalog entry whose signature binds its tensors by position, from a folder mirror,
/// through the real daemon and the onnx engine's check: installed with the graph's names, shown in the
/// done event, and served at once; a real mismatch is refused and nothing is installed.
/// </summary>
public sealed class PullTests : IAsyncLifetime
{
    private readonly TempDirectory store = new("models");
    private readonly TempDirectory mirror = new("mirror");
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync()
    {
        var guessed = PositionBoundSignatureTests.GuessedNames(true);
        var halfOutput = guessed with { Outputs = [guessed.Outputs[0] with { DataType = "float16" }] };
        var catalog = Path.Combine(mirror.Path, "catalog.json");
        File.WriteAllText(catalog, JsonSerializer.Serialize(new { models = new[] { Entry("guessed-esrgan", guessed), Entry("half-esrgan", halfOutput) } }, ModelManifest.JsonOptions));
        daemon = await RunningDaemon.StartAsync(options =>
        {
            options.ModelsDirectory = store.Path;
            options.ModelCatalogFile = catalog;
        });
    }

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        store.Dispose();
        mirror.Dispose();
    }

    [Fact]
    public async Task A_pulled_model_bound_by_position_gets_the_graphs_names_shows_them_and_serves_restore()
    {
        var done = await daemon.Client.PullModelAsync(new PullModelRequest { Name = "guessed-esrgan", Mirror = mirror.Path });

        Assert.Equal(["input 0 'lr' is 'input' in the model", "output 0 'sr' is 'output' in the model"], done.Model.SignatureNamesTaken);
        var installed = ModelManifest.Load(Path.Combine(store.Path, "guessed-esrgan")).Signature!;
        Assert.Equal(("input", "output"), (installed.Inputs[0].Name, installed.Outputs[0].Name));
        var listed = await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest());
        Assert.Empty(listed.Models.Single().SignatureNamesTaken); // shown once, when it was installed

        var request = new JobRequest { Operation = "restore", Model = "guessed-esrgan", Layer = WireRequests.Layer(Pictures.Photo(24)), Parameters = new Struct { Fields = { ["scale"] = Value.ForNumber(4) } } };
        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal(("onnx", "guessed-esrgan", done.Model.Identity), (result.Provenance.Engine, result.Provenance.Model, result.Provenance.ModelHash));
        Assert.Equal((96, 96), (result.Layer.Width, result.Layer.Height));
    }

    [Fact]
    public async Task A_pulled_model_whose_data_type_differs_by_position_is_refused_by_name()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.PullModelAsync(new PullModelRequest { Name = "half-esrgan", Mirror = mirror.Path }));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("onnx: model 'half-esrgan': output 'output' is float32 in the ONNX file but float16 in its manifest", e.Status.Detail);
        Assert.False(Directory.Exists(Path.Combine(store.Path, "half-esrgan")));
        Assert.True(File.Exists(Path.Combine(store.Path, ".downloads", "half-esrgan", TinyModelFolder.ModelFile)), "the verified download is kept");
    }

    /// <summary>The tiny upscaler on the mirror (as &lt;mirror&gt;/&lt;name&gt;/model.onnx) and its catalog entry with the published hash.</summary>
    private CatalogEntry Entry(string name, ModelSignature signature)
    {
        var folder = Path.Combine(mirror.Path, name);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, TinyModelFolder.ModelFile);
        TinyEsrgan.Graph().Save(file);
        var bytes = File.ReadAllBytes(file);
        return new CatalogEntry(
            name,
            ModelKind.Upscale,
            "1",
            "tiny upscaler whose catalog entry guesses its tensor names",
            new ModelLicence("MIT"),
            ["restore"],
            [new CatalogFile(TinyModelFolder.ModelFile, $"https://example.invalid/{name}/{TinyModelFolder.ModelFile}", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)))],
            ["https://example.invalid/source"],
            signature);
    }
}
