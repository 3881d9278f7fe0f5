using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>
/// The real daemon with the bundled engine plugins, its model store holding the tiny models, and
/// the execution providers "cuda, cpu" (this build has no CUDA: every job falls back to the CPU).
/// Besides the two tiny models, <see cref="Slow"/>: a UNet with 4096 hidden channels, tens of
/// milliseconds a step, so that a cancel surely lands in the middle of its 150 steps.
/// </summary>
public sealed class DiffusionDaemon : IAsyncLifetime
{
    public const string Slow = "tiny-sd-slow";

    public TinyModelStore Store { get; } = new();

    public RunningDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TinyDiffusionModel.Write(Store.ModelDirectory(Slow), new TinyDiffusionOptions(Slow, Features: 4096));
        Daemon = await StartAsync();
    }

    private Task<RunningDaemon> StartAsync() => RunningDaemon.StartAsync(options =>
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
