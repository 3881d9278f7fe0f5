using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EditorBridge.Client;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;

namespace EditorBridge.Testing;

/// <summary>
/// A real nginx (the Debian package) running the shipped deploy/nginx/editorbridge.conf.template,
/// its @...@ values filled in as an admin would, on its own loopback address and port, with its own
/// self-signed certificate. Disposing kills it (master and workers).
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string prefix;

    private NginxBalancer(Process process, string prefix, string address, int port, string fingerprint)
    {
        this.process = process;
        this.prefix = prefix;
        Url = new Uri($"https://{address}:{port}");
        Fingerprint = fingerprint;
    }

    public Uri Url { get; }

    public string Fingerprint { get; }

    /// <summary>nginx's error log (an upstream whose certificate fails the check is named there).</summary>
    public string ErrorLog => File.Exists(Path.Combine(prefix, "error.log")) ? File.ReadAllText(Path.Combine(prefix, "error.log")) : "";

    public string AccessLog => File.Exists(Path.Combine(prefix, "access.log")) ? File.ReadAllText(Path.Combine(prefix, "access.log")) : "";

    public static string Template => Path.Combine(RepositoryRoot(), "deploy", "nginx", "editorbridge.conf.template");

    public static bool IsInstalled => Executable() is not null;

    /// <summary>
    /// The DNS name the balancer requires in every backend's certificate (@BACKEND_NAME@): test
    /// daemons get it as a <c>--server-name</c>, so their self-signed certificates hold it.
    /// </summary>
    public const string BackendName = "editorbridge-backend";

    /// <summary>
    /// Each backend's <c>Name</c> is its daemon's <c>--backend-name</c> (the job ids' prefix nginx routes
    /// CancelJob on). <paramref name="trusted"/>: the PEM certificates nginx accepts from the backends
    /// (@BACKEND_CA@: here the daemons' own self-signed ones, concatenated).
    /// </summary>
    public static async Task<NginxBalancer> StartAsync(string prefix, string address, IEnumerable<(string Name, string Address, int Port)> backends, IEnumerable<string> trusted)
    {
        Directory.CreateDirectory(prefix);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(prefix, (UnixFileMode)0b111_111_111); // nginx's workers may run as another user
        var certificate = SelfSignedCertificate.LoadOrCreate(prefix, [address]);
        var trustFile = WriteTrustFile(prefix, trusted);
        int port = FreePort(address);
        var servers = string.Join(' ', backends.Select(b => $"server {b.Address}:{b.Port} max_fails=1 fail_timeout=2s;"));
        var config = File.ReadAllText(Template)
            .Replace("@LISTEN@", $"{address}:{port}", StringComparison.Ordinal)
            .Replace("@SERVERS@", servers, StringComparison.Ordinal)
            .Replace("@BACKENDS@", string.Join(' ', backends.Select(b => $"{b.Name} {b.Address}:{b.Port};")), StringComparison.Ordinal)
            .Replace("@CERT@", Path.Combine(prefix, SelfSignedCertificate.CertificateFileName), StringComparison.Ordinal)
            .Replace("@KEY@", Path.Combine(prefix, SelfSignedCertificate.KeyFileName), StringComparison.Ordinal)
            .Replace("@BACKEND_CA@", trustFile, StringComparison.Ordinal)
            .Replace("@BACKEND_NAME@", BackendName, StringComparison.Ordinal)
            .Replace("@PREFIX@", prefix, StringComparison.Ordinal);
        var configFile = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configFile, config);
        var start = new ProcessStartInfo(Executable() ?? throw new InvalidOperationException("nginx is not installed (tests/prerequisites.sh installs it)"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-p", prefix, "-c", configFile, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;" })
            start.ArgumentList.Add(a);
        var balancer = new NginxBalancer(Process.Start(start)!, prefix, address, port, CertificatePin.Of(certificate));
        if (await ListenerProbe.WaitAsync(balancer.process, address, port))
            return balancer;

        var log = File.Exists(Path.Combine(prefix, "error.log")) ? File.ReadAllText(Path.Combine(prefix, "error.log")) : "";
        await balancer.DisposeAsync();
        throw new InvalidOperationException($"nginx did not start:\n{log}");
    }

    /// <summary>A client of the balancer, as a painter's machine connects to the studio's one URL.</summary>
    public Task<DaemonConnection> ConnectAsync(string token, string stateDirectory) =>
        DaemonConnection.ConnectAsync(new ConnectOptions { DaemonUrl = Url, Token = token, Fingerprint = Fingerprint, StateDirectory = stateDirectory, ConnectTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>How many RunJob calls each backend answered, from nginx's access log (upstream address → count).</summary>
    public IReadOnlyDictionary<string, int> JobsPerBackend()
    {
        var counts = new ConcurrentDictionary<string, int>();
        foreach (var line in AccessLog.Split('\n').Where(l => l.Contains("/RunJob ", StringComparison.Ordinal)))
        {
            // "upstream=127.0.0.4:1234, 127.0.0.2:5678 upstream_status=502, 200": nginx tried the first (down) and served from the last
            int from = line.IndexOf("upstream=", StringComparison.Ordinal) + "upstream=".Length;
            int to = line.IndexOf(" upstream_status=", from, StringComparison.Ordinal);
            var served = (from < "upstream=".Length || to < 0 ? "?" : line[from..to]).Split(',').Last().Trim();
            counts.AddOrUpdate(served, 1, (_, n) => n + 1);
        }

        return counts;
    }

    /// <summary>The backends' certificates in one PEM file (what an admin passes as @BACKEND_CA@), readable by the balancer's workers.</summary>
    public static string WriteTrustFile(string prefix, IEnumerable<string> certificates)
    {
        var path = Path.Combine(prefix, "backends.pem");
        File.WriteAllText(path, string.Concat(certificates.Select(c => File.ReadAllText(c).TrimEnd() + "\n")));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    /// <summary>A free TCP port on <paramref name="address"/> (a loopback address such as 127.0.0.2).</summary>
    public static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Executable() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EditorBridge.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the repository root (EditorBridge.sln) is not above the test program");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
