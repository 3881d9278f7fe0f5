using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using EditorBridge.Client;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>Starting, finding and stopping the daemon: discovery, single instance, auto-start, loopback only.</summary>
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task The_discovery_file_names_the_ports_and_goes_away_on_stop()
    {
        var daemon = await RunningDaemon.StartAsync();
        var paths = daemon.Host.Paths;
        var discovery = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        Assert.Equal(daemon.Host.Discovery, discovery);
        Assert.Equal(Environment.ProcessId, discovery!.Pid);
        Assert.NotEqual(discovery.GrpcPort, discovery.HttpPort);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.TokenFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(paths.StateDirectory));
        }

        await daemon.DisposeAsync();
        Assert.False(File.Exists(paths.DiscoveryFile));
    }

    [Fact]
    public async Task A_second_daemon_for_the_same_user_refuses_to_start()
    {
        await using var first = await RunningDaemon.StartAsync();
        var options = new DaemonOptions { StateDirectory = first.StateDirectory, EnginesDirectory = RunningDaemon.BundledEnginesDirectory };

        var e = await Assert.ThrowsAsync<DaemonAlreadyRunningException>(() => DaemonHost.StartAsync(options));

        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.NotEmpty((await first.Client.GetInfoAsync()).Engines);
    }

    [Fact]
    public async Task Broken_plugins_are_listed_and_the_daemon_serves_anyway()
    {
        using var engines = new TempDirectory("engines");
        var broken = Directory.CreateDirectory(Path.Combine(engines.Path, "broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "Broken.dll"), "not an assembly");
        File.WriteAllText(Path.Combine(broken, "Broken.deps.json"), "{}");

        await using var daemon = await RunningDaemon.StartAsync(o => o.EnginesDirectory = engines.Path);
        var info = await daemon.Client.GetInfoAsync();

        Assert.Empty(info.Engines);
        var problem = Assert.Single(info.PluginProblems);
        Assert.Contains("Broken.dll", problem.Location);
        Assert.Contains("damaged plugin", problem.Message);
    }

    [Fact]
    public async Task It_listens_on_loopback_only()
    {
        await using var daemon = await RunningDaemon.StartAsync();
        var outside = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        foreach (var port in new[] { daemon.Host.Discovery.GrpcPort, daemon.Host.Discovery.HttpPort })
        {
            using (var local = new TcpClient())
                await local.ConnectAsync(IPAddress.Loopback, port);
            foreach (var address in outside)
            {
                using var remote = new TcpClient();
                await Assert.ThrowsAnyAsync<SocketException>(() => remote.ConnectAsync(address, port));
            }
        }

        if (!OperatingSystem.IsLinux())
            return;
        // Every listening socket of this process on our ports is bound to a loopback address.
        var listening = File.ReadAllLines("/proc/net/tcp").Concat(File.ReadAllLines("/proc/net/tcp6")).Skip(1)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A")
            .Select(f => f[1].Split(':'))
            .Where(a => Convert.ToInt32(a[1], 16) is var p && (p == daemon.Host.Discovery.GrpcPort || p == daemon.Host.Discovery.HttpPort))
            .Select(a => a[0])
            .ToList();
        Assert.NotEmpty(listening);
        Assert.All(listening, address => Assert.Contains(address, new[] { "0100007F", "00000000000000000000000001000000" }));
    }

    [Fact]
    public async Task The_client_starts_the_daemon_when_none_runs_and_replaces_a_stale_discovery_file()
    {
        using var state = new TempDirectory("auto");
        // a discovery file left behind by a daemon that was killed
        new DiscoveryInfo(1, 2, DeadPid(), "0.0.1", 0).Write(Path.Combine(state.Path, "daemon.json"));
        var options = new ConnectOptions { StateDirectory = state.Path, DaemonCommand = Path.Combine(AppContext.BaseDirectory, "editorbridge.dll") };

        using var connection = await DaemonConnection.ConnectAsync(options);
        using var started = Process.GetProcessById(connection.Discovery.Pid);
        try
        {
            var info = await connection.Client.GetInfoAsync();
            Assert.NotEqual(Environment.ProcessId, info.Pid);
            Assert.Contains(info.Engines, e => e.Name == "classic");
            using var again = await DaemonConnection.ConnectAsync(options with { AutoStart = false });
            Assert.Equal(info.Pid, again.Discovery.Pid);
        }
        finally
        {
            started.Kill();
            await started.WaitForExitAsync();
        }

        var e = await Assert.ThrowsAsync<DaemonUnavailableException>(() => DaemonConnection.ConnectAsync(options with { AutoStart = false }));
        Assert.Contains("no EditorBridge daemon is running", e.Message);
    }

    private static int DeadPid()
    {
        for (int pid = 3_999_999; ; pid--)
        {
            try
            {
                Process.GetProcessById(pid).Dispose();
            }
            catch (ArgumentException)
            {
                return pid;
            }
        }
    }
}
