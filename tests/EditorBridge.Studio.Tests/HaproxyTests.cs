using System.Collections.Concurrent;
using EditorBridge.Client;
using EditorBridge.Protocol;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace EditorBridge.Studio.Tests;

/// <summary>Two daemons (b1 on 127.0.0.6, b2 on 127.0.0.7) behind HAProxy on 127.0.0.8, with the shipped deploy/haproxy config.</summary>
public sealed class HaproxyStudio : IAsyncLifetime
{
    internal const string BalancerAddress = "127.0.0.8";

    internal Studio Studio { get; } = new();

    internal StudioDaemon[] Daemons { get; private set; } = [];

    internal HaproxyBalancer? Balancer { get; private set; }

    public async Task InitializeAsync()
    {
        Daemons = await Task.WhenAll(
            StudioDaemon.StartAsync(Studio.Folder("h1"), "127.0.0.6", StudioDaemon.FreePort("127.0.0.6"), Studio.TokensFile, "b1", BalancerAddress, NginxBalancer.BackendName),
            StudioDaemon.StartAsync(Studio.Folder("h2"), "127.0.0.7", StudioDaemon.FreePort("127.0.0.7"), Studio.TokensFile, "b2", BalancerAddress, NginxBalancer.BackendName));
        try
        {
            Balancer = await HaproxyBalancer.StartAsync(Studio.Folder("haproxy"), BalancerAddress, Daemons.Select((d, i) => ($"b{i + 1}", d.Address, d.Port)), Daemons.Select(d => d.CertificateFile));
        }
        catch
        {
            await DisposeAsync(); // xUnit does not dispose a fixture whose start failed: stop the daemons here
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null)
            await Balancer.DisposeAsync();
        foreach (var daemon in Daemons)
            await daemon.DisposeAsync();
        Studio.Dispose();
    }
}

public sealed class HaproxyTests(HaproxyStudio fixture, ITestOutputHelper output) : IClassFixture<HaproxyStudio>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(180);
    private readonly Studio studio = fixture.Studio;

    [Fact]
    public async Task Through_HAProxy_jobs_spread_cancel_by_id_reaches_its_job_Krita_s_blobs_meet_their_job_and_a_killed_backend_ends_only_its_job()
    {
        // 2 clients x 8 jobs at once, spread over both daemons
        var clients = new[] { await fixture.Balancer!.ConnectAsync(studio.Alice, studio.Folder("ha-alice")), await fixture.Balancer!.ConnectAsync(studio.Bob, studio.Folder("ha-bob")) };
        var outcomes = new ConcurrentBag<StatusCode>();
        await Task.WhenAll(clients.Select(async c =>
        {
            for (int n = 0; n < 8; n++)
                outcomes.Add(await StudioJobs.StatusOf(c.Client.RunJobAsync(StudioJobs.Slow(5, 20, "spread"))));
        })).WaitAsync(HangGuard);
        Assert.All(outcomes, o => Assert.Equal(StatusCode.OK, o));
        var split = new List<int>();
        foreach (var daemon in fixture.Daemons)
        {
            using var boss = await daemon.ConnectAsync(studio.Boss, studio.Folder("ha-watch"));
            split.Add((await boss.Client.ListJobsAsync()).Jobs.Count(j => j.ClientLabel == "spread"));
        }

        // CancelJob by id, over gRPC (header) and JSON (path)
        var cancelled = new List<string>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var (id, run) = await StudioJobs.StartAsync(clients[0].Client, StudioJobs.Slow(3000, 10, "cancel by id"), CancellationToken.None);
            Assert.Equal(StatusCode.OK, await StudioJobs.StatusOf(clients[0].Client.CancelJobAsync(id)));
            Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(run).WaitAsync(HangGuard));
            cancelled.Add(BackendRoute.BackendOf(id) ?? "none");
        }

        using var http = StudioJson.PinnedHttp(fixture.Balancer!.Fingerprint);
        var (jsonJob, jsonRun) = await StudioJobs.StartAsync(clients[1].Client, StudioJobs.Slow(3000, 10, "cancel by id (JSON)"), CancellationToken.None);
        var (ok, answer) = await StudioJson.CancelAsync(http, fixture.Balancer!.Url, studio.Bob, jsonJob);
        Assert.True(ok, answer);
        Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(jsonRun).WaitAsync(HangGuard));

        // Krita: blobs first, then the RunJob naming them
        var krita = new List<string>();
        for (int n = 0; n < 4; n++)
            krita.Add(await StudioJson.FillOnBlobsAsync(http, fixture.Balancer!.Url, studio.Alice));
        Assert.All(krita, k => Assert.Equal("result", k));

        // b2 killed while it runs a job: that job ends UNAVAILABLE, the next jobs go to b1
        var victim = fixture.Daemons[1];
        var onVictim = new List<(string Id, Task Run)>();
        while (onVictim.Count == 0)
        {
            var (id, run) = await StudioJobs.StartAsync(clients[0].Client, StudioJobs.Slow(3000, 10, "killed"), CancellationToken.None);
            if (BackendRoute.BackendOf(id) == "b2")
                onVictim.Add((id, run));
            else
                await clients[0].Client.CancelJobAsync(id);
        }

        victim.Kill();
        var broken = await Record.ExceptionAsync(() => onVictim[0].Run.WaitAsync(HangGuard));
        Assert.True(broken is RpcException { StatusCode: StatusCode.Unavailable }, $"the killed backend's job ended with {broken}");
        var after = new List<StatusCode>();
        for (int n = 0; n < 4; n++)
            after.Add(await StudioJobs.StatusOf(clients[1].Client.RunJobAsync(StudioJobs.Slow(5, 20, "after the kill"))).WaitAsync(HangGuard));
        output.WriteLine($"HAProxy: 16 jobs split b1 {split[0]} : b2 {split[1]}; CancelJob by id OK 3 of 3 (on {string.Join(", ", cancelled)}) and JSON cancel OK; " +
                         $"Krita blob + RunJob {krita.Count(k => k == "result")} of 4; b2 killed mid-job: UNAVAILABLE, then {after.Count(a => a == StatusCode.OK)} of 4 jobs OK");
        Assert.All(split, s => Assert.True(s > 0, "both daemons took jobs"));
        Assert.All(after, a => Assert.Equal(StatusCode.OK, a));
        foreach (var c in clients)
            c.Dispose();
    }
}
