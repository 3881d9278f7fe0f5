using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>
/// The real daemon with the bundled engine plugins, its model store holding the tiny models, and
/// the execution providers "cuda, cpu" (this build has no CUDA: every job falls back to the CPU).
/// </summary>
public sealed class DiffusionDaemon : IAsyncLifetime
{
    public TinyModelStore Store { get; } = new();

    public RunningDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await RunningDaemon.StartAsync(options =>
    {
        options.ModelsDirectory = Store.Path;
        options.ExecutionProviders = ["cuda", "cpu"];
    });

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Store.Dispose();
    }
}
