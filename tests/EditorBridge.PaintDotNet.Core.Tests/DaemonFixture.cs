using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>The real daemon (classic engine from the build plus <see cref="RotatingEngine"/>), shared by a test class.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public RotatingEngine Rotating { get; } = new();

    public RunningDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await RunningDaemon.StartAsync(extraEngines: [RotatingEngine.Loaded(Rotating)]);

    public async Task DisposeAsync() => await Daemon.DisposeAsync();

    /// <summary>A gateway as the plugin makes one, pointed at this daemon's state folder (no auto-start needed).</summary>
    public DaemonGateway Gateway() => new(new DaemonGatewayOptions { StateDirectory = Daemon.StateDirectory, AutoStart = false });
}
