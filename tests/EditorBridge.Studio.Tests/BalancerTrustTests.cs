using EditorBridge.Client;
using EditorBridge.Daemon.Hosting;
using EditorBridge.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace EditorBridge.Studio.Tests;

/// <summary>One daemon on 127.0.0.9 (its certificate holds the backend name); balancers on 127.0.0.10.</summary>
public sealed class TrustStudio : IAsyncLifetime
{
    internal const string BalancerAddress = "127.0.0.10";

    internal Studio Studio { get; } = new();

    internal StudioDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Daemon = await StudioDaemon.StartAsync(Studio.Folder("daemon"), "127.0.0.9", StudioDaemon.FreePort("127.0.0.9"), Studio.TokensFile, "b1", BalancerAddress, NginxBalancer.BackendName);

    public async Task DisposeAsync()
    {
        if (Daemon is not null)
            await Daemon.DisposeAsync();
        Studio.Dispose();
    }
}

/// <summary>
/// The shipped balancer configs verify the backends: a machine that answers for a backend's address
/// with another certificate than the one the admin gave the balancer (same names, another key: an
/// impostor on the LAN) gets no call, so no painter's token; the same daemon behind a balancer that
/// trusts its certificate serves.
/// </summary>
public sealed class BalancerTrustTests(TrustStudio fixture, ITestOutputHelper output) : IClassFixture<TrustStudio>
{
    private readonly Studio studio = fixture.Studio;

    [Fact]
    public async Task Nginx_and_HAProxy_refuse_a_backend_whose_certificate_is_not_the_trusted_one()
    {
        var daemon = fixture.Daemon;
        var backend = new[] { ("b1", daemon.Address, daemon.Port) };
        // what the admin trusts for b1: a certificate for the same names, made with another key
        var other = studio.Folder("the-trusted-b1");
        SelfSignedCertificate.LoadOrCreate(other, [daemon.Address, TrustStudio.BalancerAddress, NginxBalancer.BackendName]);
        string[] trusted = [Path.Combine(other, SelfSignedCertificate.CertificateFileName)];

        await using (var nginx = await NginxBalancer.StartAsync(studio.Folder("nginx-other"), TrustStudio.BalancerAddress, backend, trusted))
        {
            var refused = await Assert.ThrowsAsync<DaemonUnavailableException>(() => nginx.ConnectAsync(studio.Alice, studio.Folder("c-nginx")));
            var json = await InfoStatusAsync(nginx.Url, nginx.Fingerprint);
            output.WriteLine($"nginx: gRPC {refused.Message}; JSON {json}; error log: {nginx.ErrorLog.Split('\n').FirstOrDefault(l => l.Contains("certificate", StringComparison.Ordinal))}");
            Assert.Equal(System.Net.HttpStatusCode.BadGateway, json);
            Assert.Contains("upstream SSL certificate verify error", nginx.ErrorLog);
        }

        await using (var haproxy = await HaproxyBalancer.StartAsync(studio.Folder("haproxy-other"), TrustStudio.BalancerAddress, backend, trusted))
        {
            var refused = await Assert.ThrowsAsync<DaemonUnavailableException>(() => haproxy.ConnectAsync(studio.Alice, studio.Folder("c-haproxy")));
            var json = await InfoStatusAsync(haproxy.Url, haproxy.Fingerprint);
            output.WriteLine($"HAProxy: gRPC {refused.Message}; JSON {json}; output: {haproxy.Output.Trim()}");
            Assert.True((int)json >= 500, $"JSON through HAProxy: {json}");
        }

        // the control: the same daemon behind nginx trusting its own certificate serves the job
        await using (var nginx = await NginxBalancer.StartAsync(studio.Folder("nginx-own"), TrustStudio.BalancerAddress, backend, [daemon.CertificateFile]))
        {
            using var client = await nginx.ConnectAsync(studio.Alice, studio.Folder("c-own"));
            Assert.Equal(StatusCode.OK, await StudioJobs.StatusOf(client.Client.RunJobAsync(StudioJobs.Fill("through a balancer that trusts it"))));
        }

        using var boss = await daemon.ConnectAsync(studio.Boss, studio.Folder("c-boss"));
        Assert.Equal(["through a balancer that trusts it"], (await boss.Client.ListJobsAsync()).Jobs.Select(j => j.ClientLabel));
    }

    // Krita's first call through the balancer: GET /v1/info with a token
    private async Task<System.Net.HttpStatusCode> InfoStatusAsync(Uri balancer, string fingerprint)
    {
        using var http = StudioJson.PinnedHttp(fingerprint);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(balancer, "/v1/info"));
        request.Headers.Authorization = new("Bearer", studio.Bob);
        using var answer = await http.SendAsync(request);
        return answer.StatusCode;
    }
}
