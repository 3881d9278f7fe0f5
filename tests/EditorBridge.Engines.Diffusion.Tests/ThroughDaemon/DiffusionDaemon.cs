using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>
/// The real daemon with the bundled engine plugins, its model store holding the tiny models, and
/// the execution providers "cuda, cpu" (this build has no CUDA: every job falls back to the CPU).
/// The diffusion engine is served through an <see cref="EngineGate"/>, so that a test can hold a
/// job at a step (to cancel it there, whatever the machine's load).
/// </summary>
public sealed class DiffusionDaemon : IAsyncLifetime
{
    public TinyModelStore Store { get; } = new();

    public RunningDaemon Daemon { get; private set; } = null!;

    public EngineGate Gate { get; private set; } = null!;

    public async Task InitializeAsync() =>
        (Daemon, Gate) = await RunningDaemon.StartGatedAsync("diffusion", options =>
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
