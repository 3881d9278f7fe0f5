using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EditorBridge.Client;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using Grpc.Core;

namespace EditorBridge.Studio.Tests;

/// <summary>One daemon on 127.0.0.2 (standing for a network address) with TLS and the studio's tokens.</summary>
public sealed class SecuredDaemon : IAsyncLifetime
{
    internal Studio Studio { get; } = new();

    internal StudioDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await StudioDaemon.StartAsync(Studio.Folder("daemon"), "127.0.0.2", Studio.TokensFile);

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Studio.Dispose();
    }
}

public sealed class StudioSecurityTests(SecuredDaemon fixture) : IClassFixture<SecuredDaemon>
{
    private readonly Studio studio = fixture.Studio;
    private readonly StudioDaemon daemon = fixture.Daemon;

    [Fact]
    public async Task A_network_address_is_refused_without_TLS_and_without_tokens()
    {
        var state = studio.Folder("refused");
        var plain = await Serve(state, "--listen", $"127.0.0.2:{StudioDaemon.FreePort("127.0.0.2")}", "--tokens-file", studio.TokensFile);
        Assert.Equal(2, plain.Code);
        Assert.Contains("refusing to serve a network address in plain HTTP", plain.Error);

        var noTokens = await Serve(state, "--listen", $"127.0.0.2:{StudioDaemon.FreePort("127.0.0.2")}", "--self-signed", "--tokens-file", Path.Combine(state, "none.json"));
        Assert.Equal(2, noTokens.Code);
        Assert.Contains("no studio tokens", noTokens.Error);
    }

    [Fact]
    public async Task A_user_token_over_TLS_with_the_pinned_fingerprint_runs_a_job_recorded_under_its_name()
    {
        using var alice = await daemon.ConnectAsync(studio.Alice, studio.Folder("alice-run"));
        Assert.True(alice.IsRemote);
        var result = await alice.Client.RunJobAsync(StudioJobs.Fill("alice's fill"));
        Assert.Equal("classic", result.Provenance.Engine);
        var mine = (await alice.Client.ListJobsAsync()).Jobs.Single(j => j.ClientLabel == "alice's fill");
        Assert.Equal("alice", mine.Owner);
    }

    [Fact]
    public async Task A_wrong_fingerprint_is_refused_before_any_call()
    {
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        var e = await Assert.ThrowsAsync<DaemonUnavailableException>(() => daemon.ConnectAsync(studio.Alice, studio.Folder("wrong-pin"), wrong));
        Assert.Contains("not the pinned", e.Message);
        Assert.Contains(daemon.Fingerprint, e.Message);

        // without a pin, the self-signed certificate is not trusted either
        var unpinned = await Assert.ThrowsAsync<DaemonUnavailableException>(() => DaemonConnection.ConnectAsync(new ConnectOptions { DaemonUrl = daemon.Url, Token = studio.Alice, StateDirectory = studio.Folder("no-pin") }));
        Assert.Contains("does not trust", unpinned.Message);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_and_an_unknown_one_always()
    {
        var tokens = StudioTokens.Load(studio.TokensFile);
        var carol = tokens.Add("carol", admin: false);
        using var connection = await daemon.ConnectAsync(carol, studio.Folder("carol"));
        await connection.Client.ListJobsAsync();

        Assert.True(StudioTokens.Load(studio.TokensFile).Revoke("carol"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => connection.Client.ListJobsAsync());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => daemon.ConnectAsync(StudioTokens.Prefix + new string('0', 64), studio.Folder("unknown")));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        // the local daemon's own token is not a studio token
        var local = await Assert.ThrowsAsync<RpcException>(() => daemon.ConnectAsync(File.ReadAllText(Path.Combine(studio.Folder("daemon"), "token")), studio.Folder("local")));
        Assert.Equal(StatusCode.Unauthenticated, local.StatusCode);
    }

    [Fact]
    public async Task A_user_sees_and_cancels_only_their_own_jobs_and_an_admin_all()
    {
        using var alice = await daemon.ConnectAsync(studio.Alice, studio.Folder("alice"));
        using var bob = await daemon.ConnectAsync(studio.Bob, studio.Folder("bob"));
        using var boss = await daemon.ConnectAsync(studio.Boss, studio.Folder("boss"));
        using var stop = new CancellationTokenSource();
        var (id, run) = await StudioJobs.StartAsync(alice.Client, StudioJobs.Slow(2000, 10, "alice's long job"), stop.Token);

        Assert.DoesNotContain((await bob.Client.ListJobsAsync()).Jobs, j => j.JobId == id);
        var notFound = await Assert.ThrowsAsync<RpcException>(() => bob.Client.CancelJobAsync(id));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(JobState.Running, (await alice.Client.ListJobsAsync()).Jobs.Single(j => j.JobId == id).State);

        var seen = (await boss.Client.ListJobsAsync()).Jobs.Single(j => j.JobId == id);
        Assert.Equal("alice", seen.Owner);
        await boss.Client.CancelJobAsync(id);
        Assert.Equal(StatusCode.Cancelled, await StudioJobs.StatusOf(run));
    }

    [Fact]
    public async Task The_network_listener_offers_no_shared_memory_even_to_a_peer_on_the_daemons_machine()
    {
        // 127.0.0.2 is loopback: only the listener tells a studio user (or a balancer on this machine) from a local editor
        using var bob = await daemon.ConnectAsync(studio.Bob, studio.Folder("bob-regions"));
        var e = await Assert.ThrowsAsync<RpcException>(async () => await bob.Client.Raw.CreatePixelRegionAsync(new CreatePixelRegionRequest { SizeBytes = 1 << 20 }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("network listener", e.Status.Detail);
        var regions = new StatePaths(studio.Folder("daemon")).RegionsDirectory;
        Assert.True(!Directory.Exists(regions) || !Directory.EnumerateFileSystemEntries(regions).Any(), "a region file was made");
    }

    [Fact]
    public async Task Only_an_admin_token_may_change_the_model_store()
    {
        using var bob = await daemon.ConnectAsync(studio.Bob, studio.Folder("bob-models"));
        var e = await Assert.ThrowsAsync<RpcException>(async () => await bob.Client.Raw.RemoveModelAsync(new RemoveModelRequest { Name = "anything" }));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);

        using var boss = await daemon.ConnectAsync(studio.Boss, studio.Folder("boss-models"));
        var admin = await Assert.ThrowsAsync<RpcException>(async () => await boss.Client.Raw.RemoveModelAsync(new RemoveModelRequest { Name = "anything" }));
        Assert.Equal(StatusCode.NotFound, admin.StatusCode); // past the guard: there is no such model
    }

    [Fact]
    public async Task The_network_listener_takes_only_its_server_names_and_no_browser_origin()
    {
        using var http = PinnedHttp(daemon.Fingerprint);
        async Task<HttpStatusCode> Get(string host, string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(daemon.Url, "/v1/jobs"));
            request.Headers.Host = host;
            request.Headers.Authorization = new("Bearer", studio.Alice);
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get($"127.0.0.2:{daemon.Port}", null));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("evil.example", null));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("localhost", null)); // loopback names are not this listener's
        Assert.Equal(HttpStatusCode.Forbidden, await Get($"127.0.0.2:{daemon.Port}", "https://evil.example"));
        Assert.Equal(HttpStatusCode.OK, await Get($"127.0.0.2:{daemon.Port}", $"https://127.0.0.2:{daemon.Port}"));
    }

    [Fact]
    public async Task An_address_that_never_answers_ends_in_a_clear_message_within_the_connect_timeout()
    {
        using var silent = new TcpListener(IPAddress.Parse("127.0.0.2"), 0); // accepts, never speaks TLS
        silent.Start();
        var url = new Uri($"https://127.0.0.2:{((IPEndPoint)silent.LocalEndpoint).Port}");
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<DaemonUnavailableException>(() => DaemonConnection.ConnectAsync(
            new ConnectOptions { DaemonUrl = url, Token = studio.Alice, Fingerprint = daemon.Fingerprint, StateDirectory = studio.Folder("silent"), ConnectTimeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains("did not answer within 1 s", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "hang guard"); // a hang, not a timing
    }

    [Fact]
    public async Task No_token_is_ever_in_the_daemons_log_nor_in_the_tokens_file()
    {
        // make the daemon log what it would: refused tokens, a job, a cancel
        using (var alice = await daemon.ConnectAsync(studio.Alice, studio.Folder("log-alice")))
            await alice.Client.RunJobAsync(StudioJobs.Fill("for the log"));
        await Assert.ThrowsAsync<RpcException>(() => daemon.ConnectAsync(studio.Bob + "x", studio.Folder("log-bad")));
        await Task.Delay(200); // the log lines of those calls are written
        var log = daemon.Log;
        Assert.Contains("serving studio clients", log, StringComparison.Ordinal); // the log is really captured
        var file = await File.ReadAllTextAsync(studio.TokensFile);
        foreach (var token in studio.AllTokens)
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
            Assert.DoesNotContain(token[StudioTokens.Prefix.Length..], log, StringComparison.Ordinal);
            Assert.DoesNotContain(token, file, StringComparison.Ordinal);
            Assert.Contains(StudioTokens.Hash(token), file, StringComparison.Ordinal);
        }
    }

    private static HttpClient PinnedHttp(string fingerprint) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && CertificatePin.Of(certificate) == fingerprint },
    });

    private static async Task<(int Code, string Error)> Serve(string state, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { StudioDaemon.Program, "--state-dir", state, "serve" }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await error + await output);
    }
}
