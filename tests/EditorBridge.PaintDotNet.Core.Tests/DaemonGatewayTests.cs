using System.Diagnostics;
using EditorBridge.LocalState;
using EditorBridge.PaintDotNet.Core.Tests.Model;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>Finding, starting and failing to reach the daemon, as the plugin does it.</summary>
public sealed class DaemonGatewayTests : IDisposable
{
    private readonly TempDirectory state = new("ebpdn");
    private readonly UiThread ui = new();

    public void Dispose()
    {
        ui.Dispose();
        state.Dispose();
    }

    [Fact]
    public async Task When_no_daemon_runs_and_none_is_installed_the_message_says_what_to_do()
    {
        using var gateway = new DaemonGateway(new DaemonGatewayOptions { StateDirectory = state.Path, Locator = new DaemonLocator([state.File("editorbridge.exe")]) });
        var e = await Assert.ThrowsAsync<EditorBridgeProblem>(() => gateway.ConnectAsync(CancellationToken.None));
        Assert.Equal(ProblemKind.DaemonNotInstalled, e.Kind);
        Assert.Contains("not found", e.Message);
        Assert.Contains(state.File("editorbridge.exe"), e.Message);
        Assert.Contains("EDITORBRIDGE_DAEMON", e.Message);
    }

    [Fact]
    public async Task A_daemon_that_dies_while_starting_is_reported_not_waited_for()
    {
        var program = Script("crash", "echo 'cannot open the model store' >&2\nexit 3", "exit /b 3");
        // a start timeout no test waits out: the answer must come from the exit, not from the timeout
        using var gateway = new DaemonGateway(new DaemonGatewayOptions { StateDirectory = state.Path, Locator = new DaemonLocator([program]), StartTimeout = TimeSpan.FromHours(1) });
        var e = await Assert.ThrowsAsync<EditorBridgeProblem>(() => gateway.ConnectAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(ProblemKind.DaemonUnreachable, e.Kind);
        Assert.Contains("exited with code 3", e.Message);
        Assert.Contains("editorbridge doctor", e.Message);
    }

    [Fact]
    public async Task A_daemon_that_never_answers_gives_up_after_the_start_timeout_while_the_ui_thread_stays_free()
    {
        var program = Script("mute", "sleep 10", "ping -n 11 127.0.0.1 >nul");
        using var gateway = new DaemonGateway(new DaemonGatewayOptions { StateDirectory = state.Path, Locator = new DaemonLocator([program]), StartTimeout = TimeSpan.FromSeconds(3) });
        var document = new ModelDocument(new ModelBitmap(8, 8), ModelSelection.None(8, 8));
        var vm = await ui.Invoke(() => new EffectDialogViewModel(PluginOperation.Fill, gateway, document));

        var load = ui.InvokeAsync(vm.LoadAsync);
        // the UI thread answers while the connection is being made (hang guards only)
        Assert.True(await ui.Invoke(() => vm.IsBusy).WaitAsync(TimeSpan.FromSeconds(30)), "the UI thread answered only after connecting");
        await load.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(DialogState.Unavailable, vm.State);
        Assert.Contains("did not answer within 3 s", vm.Error);
        Assert.False(vm.CanRun);
    }

    [Fact]
    public async Task A_stale_discovery_file_with_nothing_listening_is_not_mistaken_for_a_daemon()
    {
        var paths = StatePaths.ForCurrentUser(state.Path);
        // this test process is alive, but nothing listens on the port the file names
        new DiscoveryInfo(FreePort(), FreePort(), Environment.ProcessId, "0.1.0", 0).Write(paths.DiscoveryFile);
        File.WriteAllText(paths.TokenFile, new string('a', 64));
        using var gateway = new DaemonGateway(new DaemonGatewayOptions { StateDirectory = state.Path, AutoStart = false });
        var e = await Assert.ThrowsAsync<EditorBridgeProblem>(() => gateway.ConnectAsync(CancellationToken.None));
        Assert.Equal(ProblemKind.DaemonNotInstalled, e.Kind);
        Assert.Contains("not running", e.Message);
        Assert.Contains("editorbridge serve", e.Message);
    }

    [Fact]
    public async Task When_the_daemon_is_not_running_the_plugin_starts_it_and_fills()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "editorbridge.dll");
        Assert.True(File.Exists(program), "the CLI is built beside the tests");
        using var gateway = new DaemonGateway(new DaemonGatewayOptions { StateDirectory = state.Path, Locator = new DaemonLocator([state.File("missing"), program]) });
        int pid = 0;
        try
        {
            // a grey photo with a red speck to remove
            var picture = TestPictures.Load("camera.png").Crop(100, 100, 96, 96);
            var selection = ModelSelection.FromPolygons(96, 96, [ModelSelection.Rectangle(40, 40, 6, 6)]);
            var document = ModelDocument.FromPicture(picture, selection);
            for (int y = 40; y < 46; y++)
                for (int x = 40; x < 46; x++)
                    document.Layer[x, y] = new ModelColor(0, 0, 255, 255);
            var vm = await ui.Invoke(() => new EffectDialogViewModel(PluginOperation.Fill, gateway, document));
            await ui.InvokeAsync(vm.LoadAsync);
            Assert.True(vm.State == DialogState.Ready, vm.Error);
            vm.FeatherPixels = 0;
            pid = DiscoveryInfo.TryRead(StatePaths.ForCurrentUser(state.Path).DiscoveryFile)!.Pid;
            Assert.NotEqual(Environment.ProcessId, pid); // a daemon process of its own

            await ui.InvokeAsync(vm.RunAsync); // a 6-pixel hole: "auto" picks diffusion
            Assert.True(vm.State == DialogState.Succeeded, vm.Error);
            var (after, _) = ModelEffectHost.Apply(document, ResultRenderer.For(vm.Outcome, document));
            for (int y = 0; y < 96; y++)
                for (int x = 0; x < 96; x++)
                {
                    var (was, now) = (document.Layer[x, y], after[x, y]);
                    if (selection.At(x, y) == 0)
                        Assert.Equal(was, now);
                    else
                        Assert.True(now.R == now.G && now.G == now.B, $"({x},{y}) is {now}: filled from grey surroundings it is grey");
                }
        }
        finally
        {
            if (pid != 0)
            {
                using var daemon = Process.GetProcessById(pid);
                daemon.Kill();
                await daemon.WaitForExitAsync();
            }
        }
    }

    /// <summary>A stand-in daemon program: a shell script (a .cmd file on Windows).</summary>
    private string Script(string name, string sh, string cmd)
    {
        if (OperatingSystem.IsWindows())
        {
            var batch = state.File(name + ".cmd");
            File.WriteAllText(batch, "@echo off\r\n" + cmd + "\r\n");
            return batch;
        }

        var path = state.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + sh + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
