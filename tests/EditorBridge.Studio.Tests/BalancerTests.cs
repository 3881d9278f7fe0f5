using System.Collections.Concurrent;
using EditorBridge.Client;
using EditorBridge.Daemon.Hosting;
using EditorBridge.Protocol;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace EditorBridge.Studio.Tests;

/// <summary>
/// Three daemons in nginx's upstream group (127.0.0.2-4); the third is not running at first and
/// is started later (a backend added while the clients stay connected). nginx on 127.0.0.5. Each
/// daemon has a backend name (b1-b3) that starts its job ids, for nginx to route CancelJob by id on.
/// </summary>
public sealed class BalancedStudio : IAsyncLifetime
{
    internal const string BalancerAddress = "127.0.0.5";

    internal Studio Studio { get; } = new();

    internal List<StudioDaemon> Running { get; } = [];

    internal (string Name, string Address, int Port) Later { get; } = ("b3", "127.0.0.4", StudioDaemon.FreePort("127.0.0.4"));

    internal NginxBalancer Balancer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(
            StudioDaemon.StartAsync(Studio.Folder("b1"), "127.0.0.2", StudioDaemon.FreePort("127.0.0.2"), Studio.TokensFile, "b1", BalancerAddress, NginxBalancer.BackendName),
            StudioDaemon.StartAsync(Studio.Folder("b2"), "127.0.0.3", StudioDaemon.FreePort("127.0.0.3"), Studio.TokensFile, "b2", BalancerAddress, NginxBalancer.BackendName));
        Running.AddRange(started);
        // b3 is not running yet, but nginx must trust its certificate from the start: made now, as
        // an admin would make it before adding the backend; `serve --self-signed` then keeps it
        SelfSignedCertificate.LoadOrCreate(Studio.Folder("b3"), [Later.Address, BalancerAddress, NginxBalancer.BackendName]);
        var trusted = started.Select(d => d.CertificateFile).Append(Path.Combine(Studio.Folder("b3"), SelfSignedCertificate.CertificateFileName));
        Balancer = await NginxBalancer.StartAsync(Studio.Folder("nginx"), BalancerAddress, [("b1", started[0].Address, started[0].Port), ("b2", started[1].Address, started[1].Port), Later], trusted);
    }

    /// <summary>Starts the backend nginx knew of from the start but that was not running.</summary>
    internal async Task<StudioDaemon> StartLaterAsync()
    {
        var daemon = await StudioDaemon.StartAsync(Studio.Folder("b3"), Later.Address, Later.Port, Studio.TokensFile, Later.Name, BalancerAddress, NginxBalancer.BackendName);
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

public sealed partial class BalancerTests(BalancedStudio fixture, ITestOutputHelper output) : IClassFixture<BalancedStudio>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(180);
    private readonly Studio studio = fixture.Studio;

    [Fact]
    public async Task Closing_the_stream_and_CancelJob_by_id_both_reach_the_backend_running_the_job()
    {
        using var client = await fixture.Balancer.ConnectAsync(studio.Alice, studio.Folder("cancel-client"));
        using var stop = new CancellationTokenSource();
        var (id, run) = await StudioJobs.StartAsync(client.Client, StudioJobs.Slow(3000, 10, "cancel by closing"), stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => run);
        Assert.Equal(JobState.Cancelled, await EndStateOnItsBackend(id));

        // CancelJob by id: the id names its backend ("b1.job-…"), the client sends the name as a header
        // and nginx routes on it. Without that, least_conn sent the call to the idle backend: NOT_FOUND 4 of 4.
        var backends = new List<string>();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var (other, otherRun) = await StudioJobs.StartAsync(client.Client, StudioJobs.Slow(3000, 10, "cancel by id"), CancellationToken.None);
            backends.Add(BackendRoute.BackendOf(other) ?? "none");
            var outcome = await StudioJobs.StatusOf(client.Client.CancelJobAsync(other));
            Assert.Equal(StatusCode.OK, outcome);
            Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(otherRun).WaitAsync(HangGuard));
            Assert.Equal(JobState.Cancelled, await EndStateOnItsBackend(other));
        }

        // the JSON side (Krita's Cancel) has the id in its path: nginx routes on that
        var (jsonJob, jsonRun) = await StudioJobs.StartAsync(client.Client, StudioJobs.Slow(3000, 10, "cancel by id (JSON)"), CancellationToken.None);
        using var http = StudioJson.PinnedHttp(fixture.Balancer.Fingerprint);
        var (cancelled, answer) = await StudioJson.CancelAsync(http, fixture.Balancer.Url, studio.Alice, jsonJob);
        Assert.True(cancelled, answer);
        Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(jsonRun).WaitAsync(HangGuard));
        output.WriteLine($"CancelJob by id through nginx: 4 of 4 OK (jobs on {string.Join(", ", backends)}); JSON cancel of a job on {BackendRoute.BackendOf(jsonJob)}: OK");
        Assert.All(backends, b => Assert.StartsWith("b", b, StringComparison.Ordinal));
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
        using var http = StudioJson.PinnedHttp(fixture.Balancer.Fingerprint);
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
        var said = await RunCli(Path.Combine(folder, "state"), studio.Bob, "fill", picture, "--rect", "1000,1000,32,32", "--method", "telea", "-o", Path.Combine(folder, "out.png"));
        Assert.Contains("filled", said);
        var sent = LastRunJobBytes();
        output.WriteLine($"RunJob request through nginx: {sent} bytes for a 32² hole in a 2048² picture (the whole picture: {pixels.Length} bytes)");
        Assert.InRange(sent, 1, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Restore_and_colorize_by_URL_send_only_the_crop_and_give_the_pixels_of_a_whole_picture_job()
    {
        // 1024² RGBA and a same-size hints picture: 8 MiB whole; a 48² selection needs a few hundred pixels around it
        const int side = 1024;
        var folder = studio.Folder("cli-ops-crop");
        var random = new Random(11);
        var pixels = new byte[side * side * 4];
        random.NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4)
            pixels[i] = 255;
        var hints = new byte[side * side * 4];
        foreach (var (x, y, r, g, b) in new[] { (505, 505, 220, 30, 30), (530, 530, 30, 30, 220) })
            for (int dy = 0; dy < 6; dy++)
                for (int dx = 0; dx < 6; dx++)
                    Array.Copy(new byte[] { (byte)r, (byte)g, (byte)b, 255 }, 0, hints, (((y + dy) * side) + x + dx) * 4, 4);
        string picturePath = Path.Combine(folder, "big.png"), hintsPath = Path.Combine(folder, "hints.png");
        TestPictures.Save(picturePath, side, side, pixels);
        TestPictures.Save(hintsPath, side, side, hints);
        var picture = new RgbaPicture(side, side, pixels);
        using var whole = await fixture.Balancer.ConnectAsync(studio.Bob, studio.Folder("cli-ops-whole"));
        foreach (var (operation, extra) in new[] { ("restore", Array.Empty<string>()), ("colorize", new[] { "--input", $"hints={hintsPath}" }) })
        {
            var outPath = Path.Combine(folder, $"{operation}.png");
            await RunCli(Path.Combine(folder, "state"), studio.Bob, [operation, picturePath, "--rect", "500,500,48,48", "--seed", "3", "-o", outPath, .. extra]);
            var sent = LastRunJobBytes();

            // the same job with the whole picture (and whole hints), as a local daemon gets it
            var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Mask = WireRequests.Rectangle(500, 500, 48, 48), Seed = 3, Geometry = new GeometryOptions() };
            if (operation == "colorize")
                request.Inputs["hints"] = WireRequests.Layer(new RgbaPicture(side, side, hints));
            var layer = (await whole.Client.RunJobAsync(request)).Layer;
            var written = TestPictures.LoadFile(outPath).Crop(layer.OffsetX, layer.OffsetY, layer.Width, layer.Height);
            output.WriteLine($"{operation} by URL through nginx: RunJob request {sent} bytes for a 48² selection in a {side}² picture (whole: {side * side * 4 * (extra.Length > 0 ? 2 : 1)} bytes); result {layer.Width}x{layer.Height} at {layer.OffsetX},{layer.OffsetY}");
            Assert.InRange(sent, 1, 256 * 1024);
            Assert.True(written.Rgba.AsSpan().SequenceEqual(layer.Data.Span), $"{operation}: the cropped job's pixels differ from the whole picture's");
        }
    }

    private async Task<string> RunCli(string stateDirectory, string token, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { StudioDaemon.Program, "--state-dir", stateDirectory, "--daemon", fixture.Balancer.Url.ToString(), "--fingerprint", fixture.Balancer.Fingerprint, "--connect-timeout", "120" }.Concat(arguments))
            start.ArgumentList.Add(a);
        start.Environment["EDITORBRIDGE_TOKEN"] = token; // the token from the environment, not the command line
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var said = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(HangGuard);
        Assert.True(process.ExitCode == 0, await error);
        return said;
    }

    /// <summary>The size of the last RunJob request nginx passed on (its access log's $request_length).</summary>
    private long LastRunJobBytes()
    {
        var line = fixture.Balancer.AccessLog.Split('\n').Last(l => l.Contains("/RunJob ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ').Single(w => w.StartsWith("req=", StringComparison.Ordinal))["req=".Length..], System.Globalization.CultureInfo.InvariantCulture);
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
