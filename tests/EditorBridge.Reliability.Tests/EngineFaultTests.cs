using EditorBridge.Stress;
using EditorBridge.Testing;
using Xunit.Abstractions;

namespace EditorBridge.Reliability.Tests;

/// <summary>Misbehaving engine plugins fail their own job only, in the real daemon process.</summary>
public sealed class EngineFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int JobTimeoutSeconds = 3;
    private readonly TempDirectory folder = new("ebflt");
    private DaemonProcess daemon = null!;

    public async Task InitializeAsync() =>
        daemon = await DaemonProcess.StartAsync(Path.Combine(folder.Path, "state"), new DaemonSettings(JobTimeoutSeconds: JobTimeoutSeconds));

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Each_engine_fault_fails_its_job_only_and_the_lane_keeps_serving()
    {
        var outcomes = await EngineFaults.RunAsync(daemon, JobTimeoutSeconds);

        foreach (var outcome in outcomes)
            output.WriteLine(outcome.ToString());
        Assert.All(outcomes, o => Assert.True(o.Survived, o.ToString()));
        Assert.False(daemon.HasExited);
    }
}
