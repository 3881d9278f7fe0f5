using System.Text;
using System.Text.Json;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>PullModel and ListCatalog through the real daemon (gRPC and JSON), with a catalog file whose models the loopback server serves.</summary>
public sealed class DaemonPullTests
{
    [Fact]
    public async Task PullModel_streams_progress_installs_the_model_and_the_engines_serve_it_at_once()
    {
        await using var bed = PullTestBed.Start();
        var graph = ModelBackedTestEngine.Graph(400_000, seed: 41);
        await using var daemon = await StartDaemonAsync(bed, Styled(bed, "styled", graph));
        var events = new List<PullModelEvent>();
        var listed = await daemon.Client.Raw.ListCatalogAsync(new ListCatalogRequest());
        Assert.False(listed.Models.Single().Installed);
        Assert.Empty(bed.Server.Requests); // starting and listing the catalog never touch the network

        var done = await daemon.Client.PullModelAsync(new PullModelRequest { Name = "styled" }, new SynchronousEvents(events));

        Assert.Equal("styled", done.Model.Name);
        Assert.False(done.AlreadyInstalled);
        Assert.Equal(new ModelManifest("x", "style", "1", [new ModelFile("graph.bin", graph.Length, PullTestBed.Sha256(graph))], new ModelLicence("MIT"), []).Identity(), done.Model.Identity);
        var progress = events.Where(e => e.EventCase == PullModelEvent.EventOneofCase.Progress).Select(e => e.Progress).ToList();
        Assert.NotEmpty(progress);
        Assert.Equal(graph.Length, progress[^1].BytesTotal);
        Assert.Equal(PullModelEvent.EventOneofCase.Done, events[^1].EventCase);
        var info = await daemon.Client.GetInfoAsync();
        var stylize = info.Engines.Single(e => e.Name == ModelBackedTestEngine.Name).Operations.Single(o => o.Name == "stylize");
        Assert.Equal(["styled"], stylize.Models);
        var catalog = await daemon.Client.Raw.ListCatalogAsync(new ListCatalogRequest());
        Assert.True(catalog.Models.Single(m => m.Name == "styled").Installed);
    }

    [Fact]
    public async Task PullModel_without_accepting_a_licence_that_needs_it_shows_the_licence_and_refuses()
    {
        await using var bed = PullTestBed.Start();
        var gated = Styled(bed, "gated", ModelBackedTestEngine.Graph(1_000, seed: 42)) with
        {
            Licence = new ModelLicence("CreativeML-OpenRAIL-M", "https://example.org/openrail", RequiresAcceptance: true),
        };
        await using var daemon = await StartDaemonAsync(bed, gated);
        var events = new List<PullModelEvent>();

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.PullModelAsync(new PullModelRequest { Name = "gated" }, new SynchronousEvents(events)));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("accept_licence", e.Status.Detail);
        var needed = events.Single(x => x.EventCase == PullModelEvent.EventOneofCase.LicenceNeeded).LicenceNeeded;
        Assert.Equal("CreativeML-OpenRAIL-M", needed.LicenceId);
        Assert.Equal("https://example.org/openrail", needed.LicenceUrl);
        Assert.Empty(bed.Server.Requests);

        var done = await daemon.Client.PullModelAsync(new PullModelRequest { Name = "gated", AcceptLicence = true });
        Assert.Equal("CreativeML-OpenRAIL-M", done.Model.LicenceId);
    }

    [Fact]
    public async Task PullModel_of_a_model_the_engines_refuse_installs_nothing()
    {
        await using var bed = PullTestBed.Start();
        var notAGraph = PullTestBed.Bytes(5_000, seed: 43);
        await using var daemon = await StartDaemonAsync(bed, Styled(bed, "refused", notAGraph));

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.PullModelAsync(new PullModelRequest { Name = "refused" }));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("does not match the signature", e.Status.Detail);
        Assert.Empty((await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest())).Models);
    }

    [Fact]
    public async Task PullModel_of_a_name_not_in_the_catalog_is_not_found_naming_the_known_ones()
    {
        await using var bed = PullTestBed.Start();
        await using var daemon = await StartDaemonAsync(bed, Styled(bed, "known", ModelBackedTestEngine.Graph(100, seed: 44)));

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.PullModelAsync(new PullModelRequest { Name = "unknown" }));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("'unknown'", e.Status.Detail);
        Assert.Contains("known", e.Status.Detail);
    }

    [Fact]
    public async Task A_client_that_closes_the_stream_stops_the_download_and_the_next_pull_resumes()
    {
        await using var bed = PullTestBed.Start();
        var graph = ModelBackedTestEngine.Graph(600_000, seed: 45);
        var entry = Styled(bed, "resumed", graph);
        bed.Server.Serve("/publisher/resumed/graph.bin", graph).StallAfter(250_000, times: 1);
        await using var daemon = await StartDaemonAsync(bed, entry);
        using var cancel = new CancellationTokenSource();
        var events = new SynchronousEvents([], e =>
        {
            // progress comes about four times a second, also while the server stalls
            if (e.Progress?.BytesDone >= 250_000)
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<Exception>(() => daemon.Client.PullModelAsync(new PullModelRequest { Name = "resumed" }, events, cancel.Token));
        var part = Path.Combine(ModelsDirectory(bed), ".downloads", "resumed", "graph.bin.part");
        await WaitUntilAsync(() => File.Exists(part) && !IsLocked(Path.Combine(ModelsDirectory(bed), ".downloads", "resumed.lock")));
        Assert.Equal(250_000, new FileInfo(part).Length);

        await daemon.Client.PullModelAsync(new PullModelRequest { Name = "resumed" });

        Assert.Equal("bytes=250000-", bed.Server.Requests[^1].Range);
        Assert.Equal(graph.Length - 250_000, bed.Server.Requests[^1].BytesSent);
    }

    [Fact]
    public async Task The_JSON_route_streams_newline_delimited_events_and_lists_the_catalog()
    {
        await using var bed = PullTestBed.Start();
        await using var daemon = await StartDaemonAsync(bed, Styled(bed, "jsonpull", ModelBackedTestEngine.Graph(50_000, seed: 46)));

        var response = await daemon.Http.PostAsync("/v1/models/jsonpull/pull", new StringContent("{}", Encoding.UTF8, "application/json"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains(lines, line => JsonDocument.Parse(line).RootElement.TryGetProperty("progress", out _));
        var done = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("done");
        Assert.Equal("jsonpull", done.GetProperty("model").GetProperty("name").GetString());
        var catalog = JsonDocument.Parse(await daemon.Http.GetStringAsync("/v1/catalog")).RootElement.GetProperty("models");
        Assert.True(catalog[0].GetProperty("installed").GetBoolean());
        Assert.Equal("MIT", catalog[0].GetProperty("licenceId").GetString());
    }

    [Fact]
    public async Task A_catalog_file_setting_that_cannot_be_read_is_a_precondition_naming_the_setting()
    {
        await using var bed = PullTestBed.Start();
        var broken = Path.Combine(bed.Scratch, "broken-catalog.json");
        File.WriteAllText(broken, """{"models":[{"name":"Bad Name"}]}""");
        await using var daemon = await RunningDaemon.StartAsync(options => options.ModelCatalogFile = broken);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await daemon.Client.Raw.ListCatalogAsync(new ListCatalogRequest()));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("ModelCatalogFile", e.Status.Detail);
        Assert.Contains("broken-catalog.json", e.Status.Detail);
    }

    private static CatalogEntry Styled(PullTestBed bed, string name, byte[] graph) =>
        PullTestBed.Entry(name, [bed.ServeAndDescribe(name, ModelBackedTestEngine.GraphFile, graph)]);

    private static string ModelsDirectory(PullTestBed bed) => Path.Combine(bed.Scratch, "daemon-models");

    private static async Task<RunningDaemon> StartDaemonAsync(PullTestBed bed, params CatalogEntry[] entries)
    {
        var catalogFile = Path.Combine(bed.Scratch, "catalog.json");
        File.WriteAllText(catalogFile, JsonSerializer.Serialize(new { models = entries }, ModelManifest.JsonOptions));
        var engine = new ModelBackedTestEngine(ModelsDirectory(bed));
        return await RunningDaemon.StartAsync(
            options =>
            {
                options.ModelsDirectory = ModelsDirectory(bed);
                options.ModelCatalogFile = catalogFile;
            },
            [TestEngines.Wrap(engine)]);
    }

    private static bool IsLocked(string lockFile)
    {
        try
        {
            using var stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the daemon's pull did not stop within 30 s");
            await Task.Delay(20);
        }
    }

    private sealed class SynchronousEvents(List<PullModelEvent> events, Action<PullModelEvent>? onEvent = null) : IProgress<PullModelEvent>
    {
        public void Report(PullModelEvent value)
        {
            lock (events)
                events.Add(value);
            onEvent?.Invoke(value);
        }
    }
}
