using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Cli.Tests;

/// <summary>
/// The real daemon with the bundled engines and a private model store holding one tiny Stable
/// Diffusion model (<see cref="Model"/>), shared by a test class: the diffusion engine serves
/// generate, fill, restore, stylize and compose with it, on the CPU.
/// </summary>
public sealed class TinyDiffusionDaemon : IAsyncLifetime
{
    public const string Model = "tiny-sd";

    private readonly TempDirectory store = new("cli-sd");

    public RunningDaemon Daemon { get; private set; } = null!;

    public string ModelsDirectory => store.Path;

    public string ModelIdentity => ModelStore.ModelManifest.Load(Path.Combine(store.Path, Model)).Identity();

    public async Task InitializeAsync()
    {
        TinyDiffusionModel.Write(Path.Combine(store.Path, Model), new TinyDiffusionOptions(Model));
        Daemon = await RunningDaemon.StartAsync(o => o.ModelsDirectory = store.Path);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        store.Dispose();
    }
}
