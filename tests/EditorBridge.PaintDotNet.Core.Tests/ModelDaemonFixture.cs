using EditorBridge.ModelStore;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>
/// The real daemon with two stylize engines: <see cref="ModelBackedTestEngine"/> serving the
/// installed models "alpha" and "beta" (first in the route), and <see cref="RotatingEngine"/> (no models).
/// </summary>
public sealed class ModelDaemonFixture : IAsyncLifetime
{
    private readonly TempDirectory temp = new("pdnm");

    public RunningDaemon Daemon { get; private set; } = null!;

    private string ModelsDirectory => Path.Combine(temp.Path, "models");

    public async Task InitializeAsync()
    {
        // No plugins: the bundled model engines would judge these stand-in files too.
        Daemon = await RunningDaemon.StartAsync(
            o => (o.ModelsDirectory, o.EnginesDirectory) = (ModelsDirectory, temp.File("no-plugins")),
            [TestEngines.Wrap(new ModelBackedTestEngine(ModelsDirectory)), RotatingEngine.Loaded(new RotatingEngine())]);
        foreach (var (name, seed) in new[] { ("alpha", 1), ("beta", 2) })
        {
            var (folder, _) = ModelFolders.WithManifest(temp.Path, name + "-src", name, ModelKind.Style, ["stylize"],
                (ModelBackedTestEngine.GraphFile, ModelBackedTestEngine.Graph(500, seed)));
            await Daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = folder });
        }
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        temp.Dispose();
    }

    public DaemonGateway Gateway() => new(new DaemonGatewayOptions { StateDirectory = Daemon.StateDirectory, AutoStart = false });
}
