using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Engines;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// CheckEngines: the daemon runs each engine once on a test fill in its own process (what
/// <c>doctor</c> shows); a broken engine is an answer naming it, not an error. Plugins of the extra
/// engines folder load (or fail) like those of the engines folder.
/// </summary>
public sealed class EngineCheckTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory extra = new("extra-engines");
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(extra.File("half-installed"));
        daemon = await RunningDaemon.StartAsync(
            o => o.ExtraEnginesDirectory = extra.Path,
            extraEngines: [TestEngines.Wrap(new FillEngine("nolib", _ => throw new DllNotFoundException("Unable to load shared library 'OpenCvSharpExtern'"))),
                           TestEngines.Wrap(new FillEngine("tiny", _ => new EngineImage(1, 1, new byte[4])))]);
    }

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    public void Dispose() => extra.Dispose();

    [Fact]
    public async Task Each_engine_is_run_or_named_as_not_run_and_a_broken_one_is_an_answer()
    {
        var checks = await daemon.Client.CheckEnginesAsync(TimeSpan.FromSeconds(60));

        var classic = checks.Engines.Single(e => e.Engine == "classic");
        Assert.Equal(EngineCheckOutcome.Passed, classic.Outcome);
        Assert.Equal("fill", classic.Operation);
        Assert.Equal("filled a 16x16 test picture on cpu", classic.Message);
        var nolib = checks.Engines.Single(e => e.Engine == "nolib");
        Assert.Equal(EngineCheckOutcome.Failed, nolib.Outcome);
        Assert.Equal("DllNotFoundException: Unable to load shared library 'OpenCvSharpExtern'", nolib.Message);
        // guard: the check looks at the answer, not only at the absence of an exception
        var tiny = checks.Engines.Single(e => e.Engine == "tiny");
        Assert.Equal(EngineCheckOutcome.Failed, tiny.Outcome);
        Assert.Equal("answered 1x1 pixels for a 16x16 test picture", tiny.Message);
        var onnx = checks.Engines.Single(e => e.Engine == "onnx");
        Assert.Equal(EngineCheckOutcome.NotTested, onnx.Outcome);
        Assert.Equal("", onnx.Operation);
        var problem = Assert.Single(checks.PluginProblems, p => p.Location == extra.File("half-installed"));
        Assert.StartsWith("no engine assembly", problem.Message);
    }

    [Fact]
    public async Task The_json_route_answers_the_same()
    {
        using var response = await daemon.Http.PostAsync("/v1/engines/check", new StringContent("{}", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        var engines = JsonNode.Parse(body)!["engines"]!.AsArray();
        Assert.Equal("ENGINE_CHECK_OUTCOME_PASSED", (string)engines.Single(e => (string)e!["engine"]! == "classic")!["outcome"]!);
        Assert.Equal("ENGINE_CHECK_OUTCOME_FAILED", (string)engines.Single(e => (string)e!["engine"]! == "nolib")!["outcome"]!);
    }

    /// <summary>Offers a model-free fill whose run is <paramref name="run"/>.</summary>
    private sealed class FillEngine(string name, Func<EngineRequest, EngineImage> run) : IEngine
    {
        public EngineDescriptor Describe() => new(name, "1.0.0", "test engine", [new OperationDescriptor("fill", "test fill", [], RequiresMask: true)], ["cpu"]);

        public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
            Task.FromResult(new EngineOutput(run(request), "cpu"));

        public void Dispose()
        {
        }
    }
}
