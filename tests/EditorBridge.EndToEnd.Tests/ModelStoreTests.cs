using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.ModelStore;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// The model RPCs through the real daemon, with an engine that offers an operation for each
/// installed model of its kind: import → GetInfo and jobs see the model, with its name and
/// identity in the provenance; remove → gone. Bad imports are refused with the model and file named.
/// </summary>
public sealed class ModelStoreTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("e2em");
    private ModelBackedTestEngine engine = null!;
    private RunningDaemon daemon = null!;

    private string ModelsDirectory => Path.Combine(temp.Path, "models");

    public async Task InitializeAsync()
    {
        engine = new ModelBackedTestEngine(ModelsDirectory);
        // No plugins: the bundled model engines would judge these stand-in files too.
        daemon = await RunningDaemon.StartAsync(
            o => (o.ModelsDirectory, o.EnginesDirectory) = (ModelsDirectory, temp.File("no-plugins")),
            [TestEngines.Wrap(engine), TestEngines.Slow("plainstyle", steps: 1, stepMilliseconds: 1, operation: "stylize")]);
    }

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task An_imported_model_serves_jobs_by_name_and_is_gone_after_removal()
    {
        var (folder, manifest) = StyleModel("ink", seed: 1);

        var imported = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });
        var info = await daemon.Client.GetInfoAsync();
        var picture = TestPictures.Load("coffee.png").Crop(0, 0, 32, 24);
        var result = await daemon.Client.RunJobAsync(new JobRequest { Operation = "stylize", Model = "ink", Layer = WireRequests.Layer(picture), Seed = 1 });

        Assert.Equal(("ink", "style", manifest.Identity(), manifest.TotalSize), (imported.Name, imported.Kind, imported.Identity, imported.SizeBytes));
        Assert.Equal(Path.Combine(ModelsDirectory, "ink"), imported.Directory);
        Assert.Equal("ink", Assert.Single(info.Models).Name);
        Assert.Equal(ModelsDirectory, info.ModelsDirectory);
        Assert.Equal(["ink"], info.Engines.Single(e => e.Name == ModelBackedTestEngine.Name).Operations.Single(o => o.Name == "stylize").Models);
        Assert.Equal([ModelBackedTestEngine.Name, "plainstyle"], info.OperationRoutes.Single(r => r.Operation == "stylize").Engines);
        Assert.Equal((ModelBackedTestEngine.Name, "ink", manifest.Identity()), (result.Provenance.Engine, result.Provenance.Model, result.Provenance.ModelHash));
        Assert.Equal(255 - picture.Rgba[0], result.Layer.Data[0]);

        await daemon.Client.Raw.RemoveModelAsync(new RemoveModelRequest { Name = "ink" });
        var after = await daemon.Client.GetInfoAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(new JobRequest { Operation = "stylize", Model = "ink", Layer = WireRequests.Layer(picture) }));

        Assert.Empty(after.Models);
        Assert.Empty(after.Engines.Single(e => e.Name == ModelBackedTestEngine.Name).Operations);
        Assert.Equal(["plainstyle"], after.OperationRoutes.Single(r => r.Operation == "stylize").Engines);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Contains("model 'ink' cannot serve 'stylize'", refused.Status.Detail);
    }

    [Fact]
    public async Task Without_a_model_name_the_job_goes_to_the_model_engine_first_and_its_default_model()
    {
        StyleModel("alpha", seed: 2);
        await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = Path.Combine(temp.Path, "alpha-src") });
        var picture = TestPictures.Load("camera.png").Crop(10, 10, 16, 16);

        var result = await daemon.Client.RunJobAsync(new JobRequest { Operation = "stylize", Layer = WireRequests.Layer(picture) });

        Assert.Equal((ModelBackedTestEngine.Name, "alpha"), (result.Provenance.Engine, result.Provenance.Model));
    }

    [Fact]
    public async Task A_model_the_engine_check_rejects_is_refused_naming_the_model_and_the_problem()
    {
        var (folder, _) = ModelFolders.WithManifest(temp.Path, "bad-src", "badsig", ModelKind.Style, ["stylize"],
            (ModelBackedTestEngine.GraphFile, ModelFolders.Bytes(300, 3)));
        var describedBefore = engine.DescribeCalls;

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("Model 'badsig' was not installed: the engine check failed: modeltest: graph.bin does not match the signature", e.Status.Detail);
        Assert.Empty((await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest())).Models);
        Assert.Equal(describedBefore, engine.DescribeCalls);
    }

    [Fact]
    public async Task Bad_import_requests_get_precise_statuses()
    {
        var (folder, _) = StyleModel("twice", seed: 4);
        await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });

        var cases = new (ImportModelRequest Request, StatusCode Code, string Text)[]
        {
            (new() { Path = "" }, StatusCode.InvalidArgument, "path: missing"),
            (new() { Path = "relative/folder" }, StatusCode.InvalidArgument, "path: 'relative/folder' is not an absolute path"),
            (new() { Path = temp.File("nowhere") }, StatusCode.NotFound, "does not exist"),
            (new() { Path = folder, Name = "Has Spaces" }, StatusCode.InvalidArgument, "name: the model name 'Has Spaces'"),
            (new() { Path = folder, Kind = "telepathy" }, StatusCode.InvalidArgument, "kind: 'telepathy' is not a model kind"),
            (new() { Path = folder }, StatusCode.AlreadyExists, "Model 'twice' is already installed"),
        };
        foreach (var (request, code, text) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(request).ResponseAsync);
            Assert.True(e.StatusCode == code && e.Status.Detail.Contains(text, StringComparison.Ordinal), $"{request}: {e.StatusCode} {e.Status.Detail}");
        }

        var replaced = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder, Replace = true });
        Assert.Equal("twice", replaced.Name);
    }

    [Fact]
    public async Task Verify_reports_a_damaged_file_and_an_unknown_model_is_not_found()
    {
        var (folder, _) = StyleModel("fragile", seed: 5);
        await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });
        var intact = await daemon.Client.Raw.VerifyModelAsync(new VerifyModelRequest { Name = "fragile" });
        var graph = Path.Combine(ModelsDirectory, "fragile", ModelBackedTestEngine.GraphFile);
        var bytes = File.ReadAllBytes(graph);
        bytes[^1] ^= 1;
        File.WriteAllBytes(graph, bytes);

        var damaged = await daemon.Client.Raw.VerifyModelAsync(new VerifyModelRequest { Name = "fragile" });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.VerifyModelAsync(new VerifyModelRequest { Name = "ghost" }).ResponseAsync);

        Assert.True(intact.Intact);
        Assert.False(damaged.Intact);
        Assert.StartsWith("'graph.bin' has SHA-256", Assert.Single(damaged.Problems));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("name: Model 'ghost' is not installed.", unknown.Status.Detail);
    }

    [Fact]
    public async Task The_json_routes_import_list_verify_and_remove()
    {
        var (folder, manifest) = StyleModel("viajson", seed: 6);
        var body = new JsonObject { ["path"] = folder, ["licenceId"] = "MIT" }.ToJsonString();

        using var import = await daemon.Http.PostAsync("/v1/models", new StringContent(body, Encoding.UTF8, "application/json"));
        var listed = JsonNode.Parse(await daemon.Http.GetStringAsync("/v1/models"))!;
        using var verify = await daemon.Http.PostAsync("/v1/models/viajson/verify", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var remove = await daemon.Http.DeleteAsync("/v1/models/viajson");
        using var again = await daemon.Http.DeleteAsync("/v1/models/viajson");

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(manifest.Identity(), (string)JsonNode.Parse(await import.Content.ReadAsStringAsync())!["identity"]!);
        Assert.Equal("viajson", (string)listed["models"]![0]!["name"]!);
        Assert.True((bool)JsonNode.Parse(await verify.Content.ReadAsStringAsync())!["intact"]!);
        Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_json_import_body_of_the_wrong_shape_is_refused_naming_the_field()
    {
        using var response = await daemon.Http.PostAsync("/v1/models", new StringContent("{\"path\": \"/tmp\", \"replace\": \"sometimes\"}", Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("replace:", (string)answer["message"]!);
    }

    [Fact]
    public async Task Importing_without_the_token_is_refused_and_reads_nothing()
    {
        var (folder, _) = StyleModel("sneak", seed: 7);
        using var anonymous = new HttpClient { BaseAddress = daemon.Http.BaseAddress };

        using var response = await anonymous.PostAsync("/v1/models", new StringContent(new JsonObject { ["path"] = folder }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(ModelsDirectory, "sneak")));
    }

    private (string Folder, ModelManifest Manifest) StyleModel(string name, int seed) =>
        ModelFolders.WithManifest(temp.Path, name + "-src", name, ModelKind.Style, ["stylize"],
            (ModelBackedTestEngine.GraphFile, ModelBackedTestEngine.Graph(2000, seed)), ("weights/extra.bin", ModelFolders.Bytes(500, seed + 100)));
}
