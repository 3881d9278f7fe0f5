using EditorBridge.Stress;
using EditorBridge.Testing;
using Xunit.Abstractions;

namespace EditorBridge.Reliability.Tests;

/// <summary>Faults of the daemon process, through the client library's auto-start as editors use it.</summary>
public sealed class ProcessFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory folder = new("ebproc");

    private string Program => DaemonProcess.DefaultProgram;

    [Fact]
    public async Task A_daemon_killed_mid_job_gives_the_client_unavailable_and_auto_start_brings_it_back()
    {
        var outcome = await ProcessFaults.KillMidJobAsync(Program, Path.Combine(folder.Path, "state"));
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Survived, outcome.ToString());
    }

    [Fact]
    public async Task Stale_discovery_files_are_detected_and_replaced()
    {
        var outcomes = await ProcessFaults.StaleDiscoveryAsync(Program, folder.Path);
        foreach (var outcome in outcomes)
            output.WriteLine(outcome.ToString());
        Assert.All(outcomes, o => Assert.True(o.Survived, o.ToString()));
    }

    [Fact]
    public async Task Two_daemons_started_at_once_end_with_exactly_one_serving()
    {
        var outcome = await ProcessFaults.SimultaneousDaemonsAsync(Program, Path.Combine(folder.Path, "state"), count: 2);
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Survived, outcome.ToString());
    }

    [Fact]
    public async Task Two_clients_auto_starting_at_once_share_one_daemon()
    {
        var outcome = await ProcessFaults.SimultaneousAutoStartAsync(Program, Path.Combine(folder.Path, "state"), clients: 2);
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Survived, outcome.ToString());
    }

    public void Dispose() => folder.Dispose();
}
