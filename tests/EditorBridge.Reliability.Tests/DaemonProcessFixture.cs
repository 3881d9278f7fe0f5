using EditorBridge.Stress;
using EditorBridge.Testing;

namespace EditorBridge.Reliability.Tests;

/// <summary>One `editorbridge serve` child process (with the fault engine) shared by a test class; restarted if a case kills it.</summary>
public sealed class DaemonProcessFixture : IAsyncLifetime
{
    private readonly TempDirectory folder = new("ebrel");

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonSettings Settings { get; } = new();

    public string StateDirectory => Path.Combine(folder.Path, "state");

    public async Task InitializeAsync() => Daemon = await DaemonProcess.StartAsync(StateDirectory, Settings);

    public async Task<DaemonProcess> RestartAsync()
    {
        await Daemon.DisposeAsync();
        Daemon = await DaemonProcess.StartAsync(StateDirectory, Settings);
        return Daemon;
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        folder.Dispose();
    }
}
