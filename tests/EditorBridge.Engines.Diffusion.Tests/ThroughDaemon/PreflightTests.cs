using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Testing;
using Grpc.Core;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>A model too large for the machine: the job is refused with RESOURCE_EXHAUSTED before anything loads.</summary>
public sealed class PreflightTests
{
    [Fact]
    public async Task A_job_that_would_not_fit_is_refused_as_resource_exhausted()
    {
        using var store = TinyModelStore.HugeModelStore();
        await using var daemon = await RunningDaemon.StartAsync(options => options.ModelsDirectory = store.Path);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(WireJobs.Job("generate", WireJobs.Picture())));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("generate at 96x80 needs about", e.Status.Detail);
        Assert.Contains("select a smaller area", e.Status.Detail);
    }
}
