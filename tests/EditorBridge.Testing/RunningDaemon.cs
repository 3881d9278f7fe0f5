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
        // A private model store too, so no test reads or cleans the user's own.
        var options = new DaemonOptions { StateDirectory = Path.Combine(state.Path, "state"), EnginesDirectory = BundledEnginesDirectory, ModelsDirectory = Path.Combine(state.Path, "models") };
        configure?.Invoke(options);
        try
        {
            var host = await DaemonHost.StartAsync(options, extraEngines, logging => logging.SetMinimumLevelWarning());
            return new RunningDaemon(state, host);
        }
        catch
        {
            state.Dispose();
            throw;
        }
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
