using EditorBridge.Testing;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>The real daemon with its model store pointed at a <see cref="TinyStore"/>, providers "cuda,cpu".</summary>
public sealed class OnnxDaemon : IAsyncLifetime
{
    public TinyStore Store { get; } = new();

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
