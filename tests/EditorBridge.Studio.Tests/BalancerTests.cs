using System.Collections.Concurrent;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace EditorBridge.Studio.Tests;

/// <summary>
/// Three daemons in nginx's upstream group (127.0.0.2-4); the third is not running at first and
/// is started later (a backend added while the clients stay connected). nginx on 127.0.0.5.
/// </summary>
public sealed class BalancedStudio : IAsyncLifetime
{
    internal const string BalancerAddress = "127.0.0.5";

    internal Studio Studio { get; } = new();

    internal List<StudioDaemon> Running { get; } = [];

    internal (string Address, int Port) Later { get; } = ("127.0.0.4", StudioDaemon.FreePort("127.0.0.4"));

    internal NginxBalancer Balancer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(
            StudioDaemon.StartAsync(Studio.Folder("b1"), "127.0.0.2", Studio.TokensFile, BalancerAddress),
            StudioDaemon.StartAsync(Studio.Folder("b2"), "127.0.0.3", Studio.TokensFile, BalancerAddress));
        Running.AddRange(started);
        Balancer = await NginxBalancer.StartAsync(Studio.Folder("nginx"), BalancerAddress, [.. Running.Select(d => (d.Address, d.Port)), Later]);
    }

    /// <summary>Starts the backend nginx knew of from the start but that was not running.</summary>
    internal async Task<StudioDaemon> StartLaterAsync()
    {
        var daemon = await StudioDaemon.StartAsync(Studio.Folder("b3"), Later.Address, Later.Port, Studio.TokensFile, BalancerAddress);
        Running.Add(daemon);
        return daemon;
    }

    public async Task DisposeAsync()
    {
        await Balancer.DisposeAsync();
        foreach (var daemon in Running)
            await daemon.DisposeAsync();
        Studio.Dispose();
    }
}

public sealed class BalancerTests(BalancedStudio fixture, ITestOutputHelper output) : IClassFixture<BalancedStudio>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(180);
    private readonly Studio studio = fixture.Studio;

    [Fact]
    public async Task Closing_the_stream_through_the_balancer_cancels_the_job_on_its_backend_and_CancelJob_by_id_reaches_it_only_by_chance()
    {
        using var client = await fixture.Balancer.ConnectAsync(studio.Alice, studio.Folder("cancel-client"));
        using var stop = new CancellationTokenSource();
        var (id, run) = await StudioJobs.StartAsync(client.Client, StudioJobs.Slow(3000, 10, "cancel by closing"), stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => run);
        Assert.Equal(JobState.Cancelled, await EndStateOnItsBackend(id));

        // CancelJob by id goes wherever nginx sends the call: the backend running the job, or another that does not know it
        var outcomes = new List<StatusCode>();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            using var running = new CancellationTokenSource();
            var (other, otherRun) = await StudioJobs.StartAsync(client.Client, StudioJobs.Slow(3000, 10, "cancel by id"), running.Token);
            var outcome = await StudioJobs.StatusOf(client.Client.CancelJobAsync(other));
            outcomes.Add(outcome);
            Assert.Contains(outcome, new[] { StatusCode.OK, StatusCode.NotFound });
            if (outcome == StatusCode.OK)
                Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(otherRun).WaitAsync(HangGuard));
            await running.CancelAsync(); // the way that works
            await StudioJobs.StatusOf(otherRun).WaitAsync(HangGuard);
        }

        output.WriteLine($"CancelJob by id through nginx: {string.Join(", ", outcomes)}");
    }

    [Fact]
    public async Task Three_clients_spread_over_the_backends_a_killed_backend_ends_only_its_jobs_and_a_backend_added_later_takes_jobs()
    {
        var clients = new List<DaemonConnection>();
        foreach (var (name, token) in new[] { ("alice", studio.Alice), ("bob", studio.Bob), ("boss", studio.Boss) })
            clients.Add(await fixture.Balancer.ConnectAsync(token, studio.Folder($"spread-{name}")));
        var victim = fixture.Running[1];
        var outcomes = new ConcurrentBag<StatusCode>();
        int done = 0;
        var killed = new TaskCompletionSource();
        IReadOnlyDictionary<string, int> beforeKill = new Dictionary<string, int>();

        async Task Client(DaemonConnection connection, int jobs)
        {
            for (int n = 0; n < jobs; n++)
            {
                outcomes.Add(await StudioJobs.StatusOf(connection.Client.RunJobAsync(StudioJobs.Slow(10, 20, "spread"))));
                Interlocked.Increment(ref done);
            }
        }

        async Task KillMidRun()
        {
            // once a third of the jobs are done, kill the second backend while it has most of a job still to run
            using var boss = await victim.ConnectAsync(studio.Boss, studio.Folder("victim-watch"));
            while (Volatile.Read(ref done) < 20 || !(await boss.Client.ListJobsAsync()).Jobs.Any(j => j.State == JobState.Running && j.Fraction <= 0.3))
                await Task.Delay(5);
            beforeKill = fixture.Balancer.JobsPerBackend();
            victim.Kill();
            killed.SetResult();
        }

        var killer = KillMidRun();
        await Task.WhenAll(clients.Select(c => Client(c, 20))).WaitAsync(HangGuard);
        await killer.WaitAsync(HangGuard);

        var split = fixture.Balancer.JobsPerBackend();
        output.WriteLine($"3 clients x 20 jobs: {string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Count()} {g.Key}"))}; RunJob calls answered (all tests so far) before the kill: {string.Join(", ", beforeKill.Select(s => $"{s.Key}: {s.Value}"))}; at the end: {string.Join(", ", split.Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.Equal(60, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { StatusCode.OK, StatusCode.Unavailable }));
        var lost = outcomes.Count(o => o == StatusCode.Unavailable);
        Assert.InRange(lost, 1, 3); // the jobs running or queued on the killed backend (one per client at most)
        Assert.True(split.Count(s => s.Value > 0) >= 2, "jobs went to both running backends");

        // a backend started now (already in nginx's list, refused so far) takes jobs from the same clients
        var added = await fixture.StartLaterAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // nginx's fail_timeout for a backend it found down
        var later = new ConcurrentBag<StatusCode>();
        await Task.WhenAll(clients.Select(async c =>
        {
            for (int n = 0; n < 6; n++)
                later.Add(await StudioJobs.StatusOf(c.Client.RunJobAsync(StudioJobs.Slow(5, 20, "after adding"))));
        })).WaitAsync(HangGuard);
        Assert.All(later, o => Assert.Equal(StatusCode.OK, o));
        using var addedBoss = await added.ConnectAsync(studio.Boss, studio.Folder("added-watch"));
        var onAdded = (await addedBoss.Client.ListJobsAsync()).Jobs.Count(j => j.ClientLabel == "after adding");
        output.WriteLine($"after adding {added.Address}: {onAdded} of 18 jobs ran there; split now {string.Join(", ", fixture.Balancer.JobsPerBackend().Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(onAdded > 0, "the backend added later took jobs");
        foreach (var c in clients)
            c.Dispose();
    }

    [Fact]
    public async Task The_JSON_side_the_Krita_plugin_uses_goes_through_the_balancer_with_the_token_checked_by_the_backends()
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && LocalState.CertificatePin.Of(c) == fixture.Balancer.Fingerprint },
        });
        async Task<System.Net.HttpStatusCode> Get(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Balancer.Url, "/v1/info"));
            if (token is not null)
                request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, await Get(studio.Alice));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Get(null));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Get(studio.Alice + "0"));
        foreach (var token in studio.AllTokens)
            Assert.DoesNotContain(token, fixture.Balancer.AccessLog, StringComparison.Ordinal); // nginx's log format has no headers
    }

    [Fact]
    public async Task The_CLI_by_URL_sends_a_remote_daemon_only_the_crop_a_small_selection_needs()
    {
        // a 2048² picture is 16 MiB of RGBA; a 32² hole needs a few hundred pixels around it
        var folder = studio.Folder("cli-crop");
        var picture = Path.Combine(folder, "big.png");
        var pixels = new byte[2048 * 2048 * 4];
        new Random(5).NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4)
            pixels[i] = 255;
        TestPictures.Save(picture, 2048, 2048, pixels);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { StudioDaemon.Program, "--state-dir", Path.Combine(folder, "state"), "--daemon", fixture.Balancer.Url.ToString(), "--fingerprint", fixture.Balancer.Fingerprint,
                     "--connect-timeout", "120", "fill", picture, "--rect", "1000,1000,32,32", "--method", "telea", "-o", Path.Combine(folder, "out.png") })
            start.ArgumentList.Add(a);
        start.Environment["EDITORBRIDGE_TOKEN"] = studio.Bob; // the token from the environment, not the command line
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var said = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(HangGuard);
        Assert.True(process.ExitCode == 0, await error);
        Assert.Contains("filled", said);
        var line = fixture.Balancer.AccessLog.Split('\n').Last(l => l.Contains("/RunJob ", StringComparison.Ordinal));
        var sent = long.Parse(line.Split(' ').Single(w => w.StartsWith("req=", StringComparison.Ordinal))["req=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"RunJob request through nginx: {sent} bytes for a 32² hole in a 2048² picture (the whole picture: {pixels.Length} bytes)");
        Assert.InRange(sent, 1, 2 * 1024 * 1024);
    }

    private async Task<JobState> EndStateOnItsBackend(string jobId)
    {
        var until = DateTime.UtcNow + HangGuard;
        while (DateTime.UtcNow < until)
        {
            foreach (var daemon in fixture.Running.Where(d => !d.HasExited))
            {
                using var boss = await daemon.ConnectAsync(studio.Boss, studio.Folder("watch"));
                var job = (await boss.Client.ListJobsAsync()).Jobs.FirstOrDefault(j => j.JobId == jobId);
                if (job is { State: JobState.Cancelled or JobState.Succeeded or JobState.Failed })
                    return job.State;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {jobId} did not end on any backend");
    }
}
