using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>The plugin on a machine set up for a studio's shared daemon (`editorbridge remote set`): it connects by URL over TLS, never starts one.</summary>
public sealed class StudioGatewayTests : IDisposable
{
    private readonly TempDirectory folder = new("ebpdnstudio");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_saved_studio_connection_reaches_the_remote_daemon_with_the_pinned_fingerprint_and_the_studio_token()
    {
        var tokensFile = folder.File("tokens.json");
        var token = StudioTokens.Load(tokensFile).Add("painter", admin: false);
        int port = NginxBalancer.FreePort("127.0.0.2");
        await using var daemon = await RunningDaemon.StartAsync(o =>
        {
            o.Remote.Listen = $"127.0.0.2:{port}";
            o.Remote.SelfSigned = true;
            o.Remote.TokensFile = tokensFile;
        });
        var client = StatePaths.ForCurrentUser(folder.File("painter-state"));
        // set as a painter does in the dialog's Studio settings
        var settings = StudioSettings.Load(client.StateDirectory);
        (settings.Url, settings.Token, settings.Fingerprint) = ($"https://127.0.0.2:{port}", token, daemon.Host.Remote!.Fingerprint);
        settings.Save();

        var options = DaemonGatewayOptions.ForThisMachine(client.StateDirectory);
        Assert.False(options.AutoStart);
        using var gateway = new DaemonGateway(options);
        var info = await gateway.ConnectAsync(CancellationToken.None);
        Assert.Equal(daemon.Host.Discovery.Pid, info.Pid);

        // a wrong pin: refused with the fingerprint the daemon showed, nothing started
        new StudioConnection($"https://127.0.0.2:{port}", string.Join(':', Enumerable.Repeat("00", 32))).Save(client, null);
        using var wrong = new DaemonGateway(DaemonGatewayOptions.ForThisMachine(client.StateDirectory));
        var e = await Assert.ThrowsAsync<EditorBridgeProblem>(() => wrong.ConnectAsync(CancellationToken.None));
        Assert.Equal(ProblemKind.DaemonUnreachable, e.Kind);
        Assert.Contains("not the pinned", e.Message);
        Assert.Contains(daemon.Host.Remote.Fingerprint, e.Message);
    }

    [Fact]
    public void Without_a_saved_studio_the_plugin_uses_the_local_daemon()
    {
        var options = DaemonGatewayOptions.ForThisMachine(folder.File("plain"));
        Assert.Null(options.DaemonUrl);
        Assert.True(options.AutoStart);
    }
}
