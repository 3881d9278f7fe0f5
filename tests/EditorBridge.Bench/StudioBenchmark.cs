using EditorBridge.Client;
using EditorBridge.LocalState;
using EditorBridge.Stress;
using EditorBridge.Testing;

namespace EditorBridge.Bench;

/// <summary>
/// `-- studio`: what the balancer adds to a job. A 1024² RGBA8 fill (a 64² hole, Telea: little
/// engine work, so the transport shows) on a daemon with a network listener (TLS + a studio token),
/// straight to the daemon's TLS port, through nginx (the shipped deploy/nginx template, TLS to nginx
/// and again to the daemon), and on the daemon's loopback port (h2c, the local baseline).
/// Medians of interleaved runs in the same process.
/// </summary>
internal static class StudioBenchmark
{
    public static async Task RunAsync()
    {
        Console.WriteLine("\n## Studio: a 1024² fill straight to the daemon's TLS port vs through nginx (median ms)");
        if (!NginxBalancer.IsInstalled)
        {
            Console.WriteLine("nginx is not installed: skipped");
            return;
        }

        using var folder = new TempDirectory("ebbench-studio");
        var tokensFile = folder.File("tokens.json");
        var token = StudioTokens.Load(tokensFile).Add("bench", admin: false);
        int port = NginxBalancer.FreePort("127.0.0.2");
        await using var daemon = await RunningDaemon.StartAsync(o =>
        {
            o.Remote.Listen = $"127.0.0.2:{port}";
            o.Remote.SelfSigned = true;
            o.Remote.TokensFile = tokensFile;
            o.Remote.ServerNames = ["127.0.0.2", "127.0.0.5", NginxBalancer.BackendName];
        });
        var trusted = Path.Combine(daemon.StateDirectory, Daemon.Hosting.SelfSignedCertificate.CertificateFileName); // nginx verifies the daemon's certificate
        await using var nginx = await NginxBalancer.StartAsync(folder.File("nginx"), "127.0.0.5", [("b1", "127.0.0.2", port)], [trusted]);
        using var direct = await DaemonConnection.ConnectAsync(new ConnectOptions
        {
            DaemonUrl = new Uri($"https://127.0.0.2:{port}"), Token = token, Fingerprint = daemon.Host.Remote!.Fingerprint, StateDirectory = folder.File("c1"),
        });
        using var balanced = await nginx.ConnectAsync(token, folder.File("c2"));
        var request = Pictures.Fill(Pictures.Layer(1024, 1024, seed: 3), Pictures.Rectangle(480, 480, 64, 64), "telea");
        var local = new List<double>();
        var tls = new List<double>();
        var viaNginx = new List<double>();
        static async Task<double> Time(Func<Task> job)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await job();
            return clock.Elapsed.TotalMilliseconds;
        }

        for (int round = 0; round < 13; round++)
        {
            // round 0 warms every path up (JIT, TLS sessions, nginx's upstream connection)
            var (l, t, n) = (await Time(() => daemon.Client.RunJobAsync(request)), await Time(() => direct.Client.RunJobAsync(request)), await Time(() => balanced.Client.RunJobAsync(request)));
            if (round == 0)
                continue;
            local.Add(l);
            tls.Add(t);
            viaNginx.Add(n);
        }

        double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        Console.WriteLine("| path | median ms | ratio to TLS direct |");
        Console.WriteLine("| --- | --- | --- |");
        Console.WriteLine($"| loopback h2c (local client) | {Median(local):0.0} | {Median(local) / Median(tls):0.00} |");
        Console.WriteLine($"| TLS straight to the daemon | {Median(tls):0.0} | 1.00 |");
        Console.WriteLine($"| TLS through nginx (TLS again to the daemon) | {Median(viaNginx):0.0} | {Median(viaNginx) / Median(tls):0.00} |");
    }
}
