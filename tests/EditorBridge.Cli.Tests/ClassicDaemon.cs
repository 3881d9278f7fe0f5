using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>The real daemon with the bundled engines, shared by a test class whose tests each leave it as they found it.</summary>
public sealed class ClassicDaemon : IAsyncLifetime
{
    public RunningDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await RunningDaemon.StartAsync();

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
