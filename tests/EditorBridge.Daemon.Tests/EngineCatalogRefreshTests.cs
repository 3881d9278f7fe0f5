using EditorBridge.Daemon.Plugins;
using EditorBridge.Engines;
using EditorBridge.Testing;

namespace EditorBridge.Daemon.Tests;

/// <summary>The catalog re-describes engines after models change, atomically, without touching what jobs already hold.</summary>
public sealed class EngineCatalogRefreshTests
{
    [Fact]
    public void Refresh_publishes_new_operations_and_models_while_a_planned_job_keeps_its_engine()
    {
        var engine = new ChangingEngine { Models = [] };
        using var catalog = new EngineCatalog([TestEngines.Wrap(engine)], []);
        var before = catalog.Engines[0];

        engine.Models = ["lama", "mi-gan"];
        var stale = catalog.Find("fill", null, "lama");
        catalog.Refresh();

        Assert.Null(stale);
        Assert.Same(engine, catalog.Find("fill", null, "mi-gan")!.Engine);
        Assert.Equal(["lama", "mi-gan"], catalog.Engines[0].Operation("fill")!.Models);
        Assert.Empty(before.Operation("fill")!.Models);
    }

    [Fact]
    public void An_engine_that_fails_to_describe_itself_keeps_its_old_descriptor_and_the_failure_is_listed()
    {
        var engine = new ChangingEngine { Models = ["lama"] };
        using var catalog = new EngineCatalog([TestEngines.Wrap(engine)], [new PluginProblem("elsewhere", "old problem")]);

        engine.Fail = true;
        catalog.Refresh();
        engine.Fail = false;
        engine.Models = [];
        catalog.Refresh();

        Assert.Empty(catalog.Engines[0].Operation("fill")!.Models);
        Assert.Equal(["old problem"], catalog.Problems.Select(p => p.Message));
        engine.Fail = true;
        catalog.Refresh();
        Assert.Contains(catalog.Problems, p => p.Message.Contains("engine 'changing' failed to describe itself after the models changed: InvalidOperationException: broken on purpose", StringComparison.Ordinal));
    }

    [Fact]
    public void The_route_puts_higher_priority_engines_first_and_find_follows_it()
    {
        using var catalog = new EngineCatalog(
            [TestEngines.Slow("low", operation: "fill"), TestEngines.Wrap(new ChangingEngine { Models = ["lama"], Priority = 10 })],
            []);

        Assert.Equal(["changing", "low"], catalog.Route("fill").Select(e => e.Name));
        Assert.Equal("changing", catalog.Find("fill", null)!.Name);
        Assert.Equal("low", catalog.Find("fill", "low")!.Name);
        Assert.Null(catalog.Find("fill", "low", "lama"));
    }

    [Fact]
    public void Readers_racing_refreshes_always_see_a_whole_engine_list()
    {
        var engine = new ChangingEngine { Models = ["a"] };
        using var catalog = new EngineCatalog([TestEngines.Wrap(engine), TestEngines.Slow("other", operation: "fill")], []);

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            if (i % 10 == 0)
            {
                engine.Models = i % 20 == 0 ? ["a"] : ["a", "b"];
                catalog.Refresh();
            }
            else
            {
                Assert.Equal(2, catalog.Route("fill").Count);
                Assert.NotNull(catalog.Find("fill", null, "a"));
            }
        });
    }

    private sealed class ChangingEngine : IEngine
    {
        public volatile IReadOnlyList<string> Models = [];

        public volatile bool Fail;

        public int Priority { get; init; } = 5;

        public EngineDescriptor Describe() => Fail
            ? throw new InvalidOperationException("broken on purpose")
            : new("changing", "1.0.0", "test", [new OperationDescriptor("fill", "fill", []) { Models = Models }], ["cpu"], Priority);

        public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
