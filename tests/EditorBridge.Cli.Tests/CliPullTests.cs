using System.Security.Cryptography;
using System.Text.Json;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary><c>editorbridge models catalog|pull</c> as a user runs them, against the real daemon with a catalog the loopback server serves.</summary>
public sealed class CliPullTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("clip");
    private readonly LoopbackFileServer server = LoopbackFileServer.Start();
    private readonly byte[] graph = ModelBackedTestEngine.Graph(200_000, 51);
    private RunningDaemon daemon = null!;

    private string ModelsDirectory => Path.Combine(temp.Path, "models");

    public async Task InitializeAsync()
    {
        server.Serve("/files/ink/graph.bin", graph);
        var file = new CatalogFile(ModelBackedTestEngine.GraphFile, server.Url("/files/ink/graph.bin").AbsoluteUri, graph.Length, Convert.ToHexStringLower(SHA256.HashData(graph)));
        var ink = new CatalogEntry("ink", ModelKind.Style, "1", "a test style", new ModelLicence("MIT"), ["stylize"], [file], ["https://example.org"]);
        var gated = ink with { Name = "gated", Licence = new ModelLicence("CreativeML-OpenRAIL-M", "https://example.org/openrail", RequiresAcceptance: true) };
        var unhashed = ink with { Name = "unhashed", Files = [file with { Sha256 = null }] };
        var catalogFile = temp.File("catalog.json");
        File.WriteAllText(catalogFile, JsonSerializer.Serialize(new { models = new[] { ink, gated, unhashed } }, ModelManifest.JsonOptions));
        daemon = await RunningDaemon.StartAsync(
            o => (o.ModelsDirectory, o.EnginesDirectory, o.ModelCatalogFile) = (ModelsDirectory, temp.File("no-plugins"), catalogFile),
            [TestEngines.Wrap(new ModelBackedTestEngine(ModelsDirectory))]);
    }

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        await server.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Catalog_then_pull_then_catalog_shows_the_model_installed()
    {
        var before = await Cli("models", "catalog");
        var pull = await Cli("models", "pull", "ink");
        var after = await Cli("models", "catalog");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.Contains("ink", before.Out);
        Assert.Matches(@"gated\s.*CreativeML-OpenRAIL-M\s.*required", before.Out.Split('\n').Single(line => line.Contains(" gated ")));
        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.Contains("installed ink: style, 1 files, 200 KB, serves stylize", pull.Out);
        Assert.Matches(@"ink\s.*yes", after.Out.Split('\n').Single(line => line.Contains(" ink ")));
        Assert.True(File.Exists(Path.Combine(ModelsDirectory, "ink", ModelBackedTestEngine.GraphFile)));
    }

    [Fact]
    public async Task A_licence_that_must_be_accepted_is_one_line_with_its_id_and_url_until_accepted()
    {
        var refused = await Cli("models", "pull", "gated");
        var accepted = await Cli("models", "pull", "gated", "--accept-licence");

        Assert.Equal(4, refused.ExitCode);
        var line = Assert.Single(refused.ErrorLines);
        Assert.StartsWith("editorbridge: error: not possible now: accept_licence:", line);
        Assert.Contains("CreativeML-OpenRAIL-M", line);
        Assert.Contains("https://example.org/openrail", line);
        Assert.Contains("--accept-licence", line);
        Assert.True(accepted.ExitCode == 0, accepted.Error);
    }

    [Fact]
    public async Task An_unknown_name_is_one_line_listing_the_catalog()
    {
        var run = await Cli("models", "pull", "nope");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("editorbridge: error: not found: name: no model 'nope' in the catalog; known: ink, gated, unhashed", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_file_without_a_published_checksum_has_its_recorded_hash_shown_on_the_first_pull()
    {
        var catalog = await Cli("models", "catalog");
        var run = await Cli("models", "pull", "unhashed");

        Assert.Matches(@"unhashed\s.*first pull", catalog.Out.Split('\n').Single(line => line.Contains(" unhashed ")));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"no published checksum for graph.bin: recorded SHA-256 {Convert.ToHexStringLower(SHA256.HashData(graph))} ({graph.Length} bytes) on this first pull; later pulls must match it", run.Out);
    }

    [Fact]
    public async Task A_relative_mirror_folder_is_read_by_the_daemon_and_the_publisher_is_not_asked()
    {
        var mirror = Path.Combine(temp.Path, "mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "ink"));
        File.WriteAllBytes(Path.Combine(mirror, "ink", ModelBackedTestEngine.GraphFile), graph);

        var run = await Cli("models", "pull", "ink", "--mirror", Path.GetRelativePath(Environment.CurrentDirectory, mirror));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(server.Requests);
    }

    private Task<CliProcess.Outcome> Cli(params string[] args) =>
        CliProcess.RunAsync([.. args, "--state-dir", daemon.StateDirectory, "--no-start"]);
}
