using System.Net.Http.Headers;
using EditorBridge.Client;
using EditorBridge.Daemon.Plugins;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;

namespace EditorBridge.Testing;

/// <summary>
/// The real daemon on free loopback ports with a private state folder, the engines built
/// beside the tests, a gRPC client and a JSON HttpClient (as the Krita bridge talks).
/// </summary>
public sealed class RunningDaemon : IAsyncDisposable
{
    private readonly TempDirectory state;

    private RunningDaemon(TempDirectory state, DaemonHost host)
    {
        this.state = state;
        Host = host;
        Token = TokenFile.Read(host.Paths.TokenFile);
        Connection = DaemonConnection.Open(host.Discovery, Token, host.Paths);
        Http = new HttpClient { BaseAddress = new Uri(host.Discovery.HttpAddress), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public DaemonHost Host { get; }

    public string Token { get; }

    /// <summary>A folder the daemon created itself (so its permissions are the daemon's doing).</summary>
    public string StateDirectory => Host.Paths.StateDirectory;

    public DaemonConnection Connection { get; }

    public EditorBridgeClient Client => Connection.Client;

    /// <summary>Talks JSON to the HTTP/1.1 port, with the token set.</summary>
    public HttpClient Http { get; }

    public static async Task<RunningDaemon> StartAsync(Action<DaemonOptions>? configure = null, IEnumerable<LoadedEngine>? extraEngines = null)
    {
        var state = new TempDirectory("ebd");
        try
        {
            var options = Options(state, configure);
            var host = await DaemonHost.StartAsync(options, extraEngines, logging => logging.SetMinimumLevelWarning());
            return new RunningDaemon(state, host);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The real daemon serving the bundled engine plugins, loaded by the daemon's own plugin loader
    /// from the same folder with the same environment, but here, so that the engine named
    /// <paramref name="gatedEngine"/> is served through an <see cref="EngineGate"/> the test can
    /// hold it with (engines in the same order; the daemon's engines folder is then left empty).
    /// </summary>
    public static async Task<(RunningDaemon Daemon, EngineGate Gate)> StartGatedAsync(string gatedEngine, Action<DaemonOptions>? configure = null)
    {
        var state = new TempDirectory("ebd");
        List<LoadedEngine> loaded = [];
        try
        {
            var options = Options(state, configure);
            var (engines, problems) = EnginePluginLoader.LoadAll(options.EnginesDirectory!, EngineEnvironments.For(options));
            loaded = engines;
            if (problems.Count > 0)
                throw new InvalidOperationException("the bundled engines did not load: " + string.Join("; ", problems.Select(p => $"{p.Location}: {p.Message}")));
            var (served, gate) = EngineGate.Around(engines, gatedEngine);
            options.EnginesDirectory = Directory.CreateDirectory(Path.Combine(state.Path, "no-engines")).FullName;
            var host = await DaemonHost.StartAsync(options, served, logging => logging.SetMinimumLevelWarning());
            return (new RunningDaemon(state, host), gate);
        }
        catch
        {
            foreach (var engine in loaded)
                engine.Engine.Dispose();
            state.Dispose();
            throw;
        }
    }

    // A private model store too, so no test reads or cleans the user's own.
    private static DaemonOptions Options(TempDirectory state, Action<DaemonOptions>? configure)
    {
        var options = new DaemonOptions { StateDirectory = Path.Combine(state.Path, "state"), EnginesDirectory = BundledEnginesDirectory, ModelsDirectory = Path.Combine(state.Path, "models") };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Engines built beside the test assembly (plugins/engines/BundledEngines.targets).</summary>
    public static string BundledEnginesDirectory => Path.Combine(AppContext.BaseDirectory, "engines");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Connection.Dispose();
        await Host.DisposeAsync();
        state.Dispose();
    }
}
