using EditorBridge.ModelStore;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary><c>editorbridge models ...</c> as a user runs it, against the real daemon with a model-backed test engine.</summary>
public sealed class CliModelsTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("clim");
    private RunningDaemon daemon = null!;

    private string ModelsDirectory => Path.Combine(temp.Path, "models");

    public async Task InitializeAsync() =>
        daemon = await RunningDaemon.StartAsync(
            o => (o.ModelsDirectory, o.EnginesDirectory) = (ModelsDirectory, temp.File("no-plugins")),
            [TestEngines.Wrap(new ModelBackedTestEngine(ModelsDirectory))]);

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Import_list_verify_and_remove_a_model()
    {
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "ink-src", "ink", ModelKind.Style, ["stylize"],
            (ModelBackedTestEngine.GraphFile, ModelBackedTestEngine.Graph(3000, 1)));

        var import = await Cli("models", "import", folder);
        var list = await Cli("models", "list");
        var info = await Cli("info");
        var verify = await Cli("models", "verify");
        var graph = Path.Combine(ModelsDirectory, "ink", ModelBackedTestEngine.GraphFile);
        File.WriteAllBytes(graph, ModelBackedTestEngine.Graph(3000, 2));
        var damaged = await Cli("models", "verify", "ink");
        var remove = await Cli("models", "remove", "ink");
        var removeAgain = await Cli("models", "remove", "ink");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains($"installed ink: style, 1 files, 3 KB, serves stylize; identity {manifest.Identity()}", import.Out);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("ink", list.Out);
        Assert.Contains(manifest.Identity()[..12], list.Out);
        Assert.Contains("model ink: style, serves stylize", info.Out);
        Assert.Equal("ink: intact", verify.Out.Trim());
        Assert.Equal(1, damaged.ExitCode);
        Assert.StartsWith("editorbridge: error: ink: 'graph.bin' has SHA-256", Assert.Single(damaged.ErrorLines));
        Assert.Equal((0, "removed ink"), (remove.ExitCode, remove.Out.Trim()));
        Assert.Equal(4, removeAgain.ExitCode);
        Assert.Equal("editorbridge: error: not found: name: Model 'ink' is not installed.", Assert.Single(removeAgain.ErrorLines));
    }

    [Fact]
    public async Task A_refused_import_is_one_line_naming_the_model_and_the_problem()
    {
        var folder = Path.Combine(temp.Path, "Bad Graph");
        ModelFolders.Write(folder, ModelBackedTestEngine.GraphFile, ModelFolders.Bytes(100, 3));
        ModelFolders.Write(folder, "model.onnx", ModelFolders.Bytes(100, 4));

        var noKind = await Cli("models", "import", folder);
        var badGraph = await Cli("models", "import", folder, "--kind", "style", "--licence", "MIT");
        var empty = await Cli("models", "list");

        Assert.Equal(4, noKind.ExitCode);
        Assert.Contains("Model 'bad-graph' was not imported:", Assert.Single(noKind.ErrorLines));
        Assert.Contains("say which kind it is", noKind.Error);
        Assert.Equal(4, badGraph.ExitCode);
        Assert.Contains("Model 'bad-graph' was not installed: the engine check failed: modeltest: graph.bin does not match the signature", Assert.Single(badGraph.ErrorLines));
        Assert.Contains("no models installed", empty.Out);
    }

    [Fact]
    public async Task An_unknown_models_subcommand_is_a_usage_error()
    {
        var run = await CliProcess.RunAsync("models", "frobnicate");

        Assert.Equal(2, run.ExitCode);
    }

    private Task<CliProcess.Outcome> Cli(params string[] args) =>
        CliProcess.RunAsync([.. args, "--state-dir", daemon.StateDirectory, "--no-start"]);
}
