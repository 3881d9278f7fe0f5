using EditorBridge.Stress;
using EditorBridge.Testing;
using Xunit.Abstractions;

namespace EditorBridge.Reliability.Tests;

/// <summary>Three clients (two gRPC, one JSON with blobs) submit 20 jobs each at once against the real daemon process.</summary>
public sealed class LoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory folder = new("ebload");
    private DaemonProcess daemon = null!;

    public async Task InitializeAsync() =>
        daemon = await DaemonProcess.StartAsync(Path.Combine(folder.Path, "state"), new DaemonSettings(MaxRequestBytes: 64L << 20), faultEngine: false);

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Sixty_jobs_at_once_each_finish_or_wait_their_turn_get_their_own_result_and_cancel_when_asked()
    {
        var figures = await LoadRun.RunAsync(daemon, new LoadRun.Options(Clients: 3, JobsPerClient: 20, CancelShare: 0.2, Seed: 7, MaxSide: 512), new Progress<string>(output.WriteLine));

        output.WriteLine(figures.ToString());
        foreach (var problem in figures.Problems)
            output.WriteLine("PROBLEM " + problem);
        if (figures.Problems.Count > 0)
            output.WriteLine("DAEMON LOG\n" + daemon.Output);
        Assert.Empty(figures.Problems);
        Assert.Equal(60, figures.Jobs);
        Assert.Equal(0, figures.Failed);
        Assert.Equal(figures.Jobs, figures.Succeeded + figures.Cancelled);
        Assert.Equal(figures.Succeeded, figures.ResultsChecked);
        Assert.True(figures.JobsThatWaited > 30, $"only {figures.JobsThatWaited} jobs heard a queue position");
        Assert.True(figures.PeakResident <= figures.ResidentBound, $"peak resident {figures.PeakResident >> 20} MiB over the bound {figures.ResidentBound >> 20} MiB (idle {figures.IdleResident >> 20} MiB, {figures.BytesSent >> 20} MiB sent)");
        Assert.False(daemon.HasExited);
    }
}
